import Simulation

/// A service taking part in sagas. Each command (orchestration) or event (choreography) it gets
/// is one local transaction: it checks whether it has already done this step for this saga
/// (the record is its idempotency key: saga, step, do or undo), applies the action to its rows,
/// records what came of it, and then replies or publishes. With an outbox the reply is written
/// in the same transaction and a relay publishes it; without one it is sent after the commit,
/// and a crash in between loses it.
extension SagaNode {
    /// Choreography: who listens for an event.
    func subscriber(of step: Int, _ fact: Post.Fact) -> NodeID? {
        switch fact {
        case .done: step + 1 < config.steps.count ? config.node(of: step + 1) : nil
        case .failed, .undone: config.previousCompensatable(before: step).map { config.node(of: $0) }
        }
    }

    /// The first step of a choreographed saga, taken as a client's request (nothing to ack).
    mutating func beginSaga(_ order: SagaOrder, _ io: inout NodeIO<SagaNode>) {
        io.note("saga \(order.saga) begins here")
        act(step: 0, undo: false, order, delivery: nil, &io)
    }

    mutating func handle(_ p: Post, _ io: inout NodeIO<SagaNode>) {
        switch p.what {
        case let .command(step, undo):
            act(step: step, undo: undo, p.order, delivery: p, &io)
        case let .event(step, fact):
            if fact == .done, step + 1 < config.steps.count {
                act(step: step + 1, undo: false, p.order, delivery: p, &io)
            } else if fact != .done, let k = config.previousCompensatable(before: step) {
                act(step: k, undo: true, p.order, delivery: p, &io)
            } else {
                io.send(.ack(p.tag), to: config.broker)
            }
        case .reply:
            io.send(.ack(p.tag), to: config.broker)
        }
    }

    /// What goes out after step `step` ended with `outcome` here, or nil (a choreographed step
    /// nobody listens for).
    func message(after step: Int, undo: Bool, _ outcome: Post.Outcome, _ order: SagaOrder, attempt: Int) -> Post? {
        if config.style == .orchestration, let o = config.orchestrator {
            return Post(to: o, order: order, what: .reply(step: step, undo: undo, outcome), attempt: attempt)
        }
        let fact: Post.Fact = undo ? .undone : outcome == .done ? .done : .failed
        return subscriber(of: step, fact).map { Post(to: $0, order: order, what: .event(step: step, fact)) }
    }

    mutating func act(step: Int, undo: Bool, _ order: SagaOrder, delivery: Post?, _ io: inout NodeIO<SagaNode>) {
        let saga = order.saga
        let action = config.steps[step].action
        let attempt = delivery?.attempt ?? 1
        func ack() { if let d = delivery { io.send(.ack(d.tag), to: config.broker) } }

        if config.dedup, let r = db.record(saga, step, undo: undo) {
            // Done already: change nothing, but answer as before. A command comes again only
            // when the orchestrator has no answer (lost, or for an earlier try), so it gets one.
            // An event's outcome is in the outbox, if there is one, and goes out from there.
            counts.duplicatesIgnored += 1
            let answer = config.style == .orchestration || !config.outbox
            if answer, let m = message(after: step, undo: undo, r.outcome, order, attempt: attempt) { publish(m, &io) }
            ack()
            return
        }
        if dies(at: .beforeCommit, &io) { return }
        var outcome = apply(action, undo: undo, order)
        // A compensation and a step after the pivot must succeed in the end: a refusal of
        // one is retried like a transient failure.
        if case .refused(let why) = outcome, undo || !config.undoesSaga(step) { outcome = .transient(why) }
        io.busy(for: config.work)
        let label = "s\(saga) \(undo ? action.compensation! : action.verb)"
        if case .transient(let why) = outcome {
            counts.transient += 1
            io.note("\(label): \(why.text)")
            if config.style == .orchestration, let m = message(after: step, undo: undo, outcome, order, attempt: attempt) {
                publish(m, &io); ack()
            } else if delivery == nil {
                // The client's own request failed: nothing was committed, so no saga began
                // (the client may try again).
                started -= 1
                io.note("s\(saga) not started: the request failed, nothing was committed")
            }
            // Choreography: no ack, so the broker delivers it again later: that is the retry.
            return
        }
        let key = Database.key(saga, step, undo: undo)
        db.records[key] = Database.Record(outcome: outcome, applied: (db.records[key]?.applied ?? 0) + 1)
        switch outcome {
        case .done: if undo { counts.compensated += 1 } else { counts.applied += 1 }
        default: counts.refused += 1
        }
        io.note(outcome == .done ? "\(label) \(undo ? "undone" : "done")" : "\(label) refused")
        let out = message(after: step, undo: undo, outcome, order, attempt: attempt)
        if config.outbox, let m = out { db.outbox.append(Database.OutboxRow(post: m, sent: false)) }
        if config.cdc == .tail { _ = db.tail() }
        if dies(at: .afterCommit, &io) { return }
        if config.outbox {
            // Log tailing sees the outbox row as it is committed; a poller finds it later.
            if config.relay == .tail, let m = out { publish(m, &io) } else { ensureRelay(&io) }
        } else if let m = out {
            publish(m, &io)
        }
        if dies(at: .afterPublish, &io) { return }
        ack()
    }

    /// The local transaction of one action or compensation.
    mutating func apply(_ action: SagaAction, undo: Bool, _ order: SagaOrder) -> Post.Outcome {
        let fk = Self.faultKey(action, undo: undo)
        if var f = faults[fk] {
            defer { faults[fk] = f.refusals == 0 && f.transient == 0 ? nil : f }
            if f.transient > 0 { f.transient -= 1; return .transient(.injected) }
            if f.refusals > 0 { if f.refusals != Int.max { f.refusals -= 1 }; return .refused(.injected) }
        }
        let saga = order.saga
        switch (action, undo) {
        case (.create, false): db.write(saga, .pending)
        case (.create, true): db.write(saga, .rejected)
        case (.approve, _): db.write(saga, .approved)
        case (.reserve, false):
            if db.stock[order.item] > 0 {
                db.stock[order.item] -= 1
                db.holds[saga] = order.item
                db.write(saga, config.semanticLock ? .pending : .reserved)
            } else {
                let holders = db.holds.filter { $0.value == order.item }.map(\.key)
                if config.semanticLock, holders.contains(where: { db.rows[$0] == .pending }) { return .transient(.locked) }
                for h in holders { db.refusedBecauseOf[h, default: 0] += 1 }
                return .refused(.outOfStock)
            }
        case (.reserve, true):
            guard db.rows[saga] == .reserved || db.rows[saga] == .pending else { return .done }
            db.stock[order.item] += 1
            db.holds.removeValue(forKey: saga)
            counts.dirtyReads += db.refusedBecauseOf.removeValue(forKey: saga) ?? 0
            db.write(saga, .released)
        case (.confirm, _):
            if db.rows[saga] == .pending { db.write(saga, .reserved) }
            db.holds.removeValue(forKey: saga)
            db.refusedBecauseOf.removeValue(forKey: saga)
        case (.charge, false):
            guard db.balances[order.customer] >= order.amount else { return .refused(.insufficientFunds) }
            db.balances[order.customer] -= order.amount
            db.balances[config.shop] += order.amount
            db.write(saga, .charged)
        case (.charge, true):
            guard db.rows[saga] == .charged else { return .done }
            db.balances[order.customer] += order.amount
            db.balances[config.shop] -= order.amount
            db.write(saga, .refunded)
        case (.schedule, false): db.write(saga, .scheduled)
        case (.schedule, true): db.write(saga, .cancelled)
        }
        return .done
    }

    static func faultKey(_ a: SagaAction, undo: Bool) -> Int { (SagaAction.allCases.firstIndex(of: a)! * 2) + (undo ? 1 : 0) }

    mutating func ensureRelay(_ io: inout NodeIO<SagaNode>) {
        guard !relayArmed else { return }
        relayArmed = true
        io.setTimer(.relay, after: relayEvery)
    }

    mutating func captureByPolling(_ io: inout NodeIO<SagaNode>) {
        let n = db.poll()
        if n > 0 { io.note("cdc poll: \(n) row\(n == 1 ? "" : "s") changed") }
    }
}
