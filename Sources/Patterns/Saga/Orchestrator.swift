import Simulation

/// The orchestrator: a state machine per saga, driven by replies, with every move written to
/// its saga log before it acts on it. It sends the steps one at a time; on a refusal before the
/// pivot it compensates the steps that were done, newest first; it retries a transient failure,
/// a compensation, and any step after the pivot until it succeeds.
extension SagaNode {
    mutating func startSaga(_ order: SagaOrder, _ io: inout NodeIO<SagaNode>) {
        var e = SagaLog.Entry(order: order, state: .running, step: 0, attempt: 1,
                              statuses: Array(repeating: .waiting, count: config.steps.count))
        e.statuses[0] = .running
        log.sagas.append(e)
        log.write("s\(order.saga) started: \(config.accounts[order.customer]), \(config.items[order.item]), \(order.amount)")
        io.note("saga \(order.saga) started")
        command(order.saga, &io)
    }

    /// Sends the command the log says comes next for `saga`.
    mutating func command(_ saga: Int, _ io: inout NodeIO<SagaNode>) {
        guard let e = log.entry(saga), e.state == .running || e.state == .compensating else { due.removeValue(forKey: saga); return }
        publish(Post(to: config.node(of: e.step), order: e.order, what: .command(step: e.step, undo: e.state == .compensating), attempt: e.attempt), &io)
        // A reply can be lost for good (a service that acked the command and crashed before
        // its reply was stored): without an answer in time, the command goes again, and the
        // service, which remembers the step, answers as before.
        wakeUp(saga, at: io.localNow + config.replyTimeout)
    }

    /// The orchestrator's one deadline per saga: a retry or a reply timeout.
    mutating func wakeUp(_ saga: Int, at t: SimTime) {
        due[saga] = t
        agenda.insert(Due(time: t, key: saga))
    }

    /// After a restart: every saga the log says is unfinished is taken up where it stood.
    mutating func recover(_ io: inout NodeIO<SagaNode>) {
        var resumed = 0
        for e in log.sagas where e.state == .running || e.state == .compensating {
            command(e.order.saga, &io)
            resumed += 1
        }
        if resumed > 0 {
            log.write("restarted: \(resumed) unfinished, resumed")
            io.note("read its saga log: \(resumed) unfinished")
        }
    }

    mutating func handleReply(_ p: Post, _ io: inout NodeIO<SagaNode>) {
        let saga = p.order.saga
        guard case let .reply(step, undo, outcome) = p.what, var e = log.entry(saga),
              e.state == .running && !undo || e.state == .compensating && undo, e.step == step, e.attempt == p.attempt else {
            // A copy of a reply already acted on, or one for a try that was given up.
            counts.duplicatesIgnored += 1
            io.send(.ack(p.tag), to: config.broker)
            return
        }
        if dies(at: .beforeCommit, &io) { return }
        let name = config.steps[step].action.verb
        var next = false
        switch (undo, outcome) {
        case (false, .done):
            e.statuses[step] = .done
            if step + 1 < e.statuses.count {
                e.step += 1; e.attempt = 1; e.statuses[e.step] = .running; next = true
                log.write("s\(saga) #\(step + 1) \(name) done")
            } else {
                e.state = .completed
                log.write("s\(saga) #\(step + 1) \(name) done: COMPLETED")
                io.note("saga \(saga) completed")
            }
        case (false, .refused(let why)) where config.undoesSaga(step):
            e.statuses[step] = .failed
            e.why = "\(name): \(why.text)"
            log.write("s\(saga) #\(step + 1) \(name) refused: \(why.text)")
            next = beginUndo(&e, before: step, &io)
        case (false, .refused(let why)), (false, .transient(let why)), (true, .refused(let why)), (true, .transient(let why)):
            // Retried: transient failures, steps after the pivot, and compensations.
            let what = undo ? config.steps[step].action.compensation ?? name : name
            log.write("s\(saga) #\(step + 1) \(what) try \(e.attempt): \(why.text), retry")
            e.attempt += 1
            wakeUp(saga, at: io.localNow + config.retryDelay)
        case (true, .done):
            e.statuses[step] = .undone
            log.write("s\(saga) #\(step + 1) \(config.steps[step].action.compensation ?? name) done (undone)")
            next = beginUndo(&e, before: step, &io)
        }
        log.sagas[saga - 1] = e
        if dies(at: .afterCommit, &io) { return }
        if next { command(saga, &io) }
        if dies(at: .afterPublish, &io) { return }
        io.send(.ack(p.tag), to: config.broker)
    }

    /// Moves to compensating the newest done step before `step`; or, with none left, ends the
    /// saga compensated. Returns whether there is a command to send.
    mutating func beginUndo(_ e: inout SagaLog.Entry, before step: Int, _ io: inout NodeIO<SagaNode>) -> Bool {
        var k = config.previousCompensatable(before: step)
        while let j = k, e.statuses[j] != .done { k = config.previousCompensatable(before: j) }
        guard let j = k else {
            e.state = .compensated
            log.write("s\(e.order.saga) COMPENSATED")
            io.note("saga \(e.order.saga) compensated")
            return false
        }
        if e.state != .compensating { io.note("saga \(e.order.saga) compensating") }
        e.state = .compensating; e.step = j; e.attempt = 1; e.statuses[j] = .undoing
        return true
    }

    mutating func retry(saga: Int, at t: SimTime, _ io: inout NodeIO<SagaNode>) {
        guard due[saga] == t else { return }
        due.removeValue(forKey: saga)
        command(saga, &io)
    }
}
