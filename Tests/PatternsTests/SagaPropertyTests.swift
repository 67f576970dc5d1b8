import Testing
@testable import Patterns
@testable import Simulation

/// Sagas under faults, over many seeds: business refusals and transient failures at random
/// steps, services and the orchestrator crashing (now, or at a chosen point of a handler) and
/// restarting, and a broker that loses, duplicates and reorders. Once the faults stop, every
/// saga must end completed (each step applied exactly once) or compensated (each applied step
/// undone exactly once), with money and stock conserved.
@Suite struct SagaPropertyTests {
    static func cluster(_ settings: [(String, String)], seed: UInt64, loss: Int = 0, journal: Journal<SagaMessage> = Journal(.off)) -> Cluster<SagaNode> {
        var network = Network()
        network.lossPPM = loss
        return try! Saga.cluster(settings, seed: seed, journal: journal, network: network)
    }

    /// Faults for a while, then quiet until everything settles.
    static func torture(_ c: inout Cluster<SagaNode>, seed: UInt64, sagas: Int, crashes: Bool) {
        var rng = SplitMix64(seed: seed &* 7919)
        let cf = Saga.config(of: c)
        let services = Array(cf.serviceNode.values).sorted()
        var down: [(NodeID, SimTime)] = []
        for _ in 0..<sagas {
            // The node that starts sagas is up for it (the others may not be).
            let starter = cf.orchestrator ?? cf.node(of: 0)
            if !c.isUp[starter] { c.restart(starter) }
            let who = Int(rng.next(below: UInt64(cf.accounts.count - 1)))
            _ = Saga.perform(.start(count: 1, customer: cf.accounts[who], item: nil, amount: 10 + Int(rng.next(below: 40))), on: &c)
            // A refusal or a transient failure somewhere.
            let svc = services[Int(rng.next(below: UInt64(services.count)))]
            let actions = cf.steps.map(\.action).filter { $0.service == cf.serviceOf[svc] }
            if let a = actions.first, rng.next(below: 3) == 0 {
                let undo = a.compensation != nil && rng.next(below: 3) == 0
                let f = rng.next(below: 2) == 0 ? Fault(refusals: 1) : Fault(transient: 1 + Int(rng.next(below: 3)))
                _ = Saga.perform(.fail(svc, a, undo: undo, undo ? Fault(transient: 2) : f), on: &c)
            }
            if crashes, rng.next(below: 4) == 0 {
                let victims = services + (cf.orchestrator.map { [$0] } ?? []) + [cf.broker]
                let v = victims[Int(rng.next(below: UInt64(victims.count)))]
                if c.isUp[v] {
                    if rng.next(below: 2) == 0 || v == cf.broker { c.crash(v) } else {
                        let p = SagaNode.CrashPoint.allCases[Int(rng.next(below: 3))]
                        _ = Saga.perform(.crash(v, p), on: &c)
                    }
                    down.append((v, c.now + 100_000 + SimTime(rng.next(below: 1_500_000))))
                }
            }
            c.advance(to: c.now + 50_000 + SimTime(rng.next(below: 300_000)))
            for (v, at) in down where at <= c.now && !c.isUp[v] { c.restart(v) }
            down.removeAll { !c.isUp[$0.0] == false }
        }
        // Faults stop: every crashed node comes back, and nothing is refused any more.
        for n in 0..<c.size {
            if !c.isUp[n] { c.restart(n) }
            _ = Saga.perform(.recover(n), on: &c)
            c.reconfigure(n) { $0.crashPoint = nil }
        }
        c.network.lossPPM = 0
        c.advance(to: c.now + 60_000_000)
    }

    static func checkInvariants(_ c: Cluster<SagaNode>, sagas: Int, money: Int, stock: Int, seed: UInt64) {
        let cf = Saga.config(of: c)
        // A saga whose first transaction a crash cut short never started.
        #expect(Saga.started(c) >= sagas / 2, "seed \(seed)")
        for s in 1...max(1, Saga.started(c)) where Saga.started(c) > 0 {
            let st = Saga.state(of: s, in: c)
            #expect(st == .completed || st == .compensated, "seed \(seed): saga \(s) is \(st.map(\.rawValue) ?? "not started")")
            for k in cf.steps.indices {
                let db = c.nodes[cf.node(of: k)].db
                let did = db.record(s, k, undo: false), undid = db.record(s, k, undo: true)
                if st == .completed {
                    #expect(did?.outcome == .done && did?.applied == 1 && undid == nil, "seed \(seed): saga \(s) step \(k + 1) done \(String(describing: did)) undone \(String(describing: undid))")
                } else if did?.outcome == .done, cf.steps[k].action.compensation != nil {
                    #expect(undid?.applied == 1, "seed \(seed): saga \(s) step \(k + 1) was applied and never undone")
                } else {
                    #expect(undid == nil || did?.outcome == .done, "seed \(seed): saga \(s) step \(k + 1) undone without being done")
                }
                #expect((did?.applied ?? 0) <= 1 && (undid?.applied ?? 0) <= 1, "seed \(seed): saga \(s) step \(k + 1) applied twice")
            }
        }
        #expect(Saga.money(c) == money, "seed \(seed): money \(Saga.money(c)), was \(money)")
        if let inv = cf.serviceNode[.inventory] {
            let db = c.nodes[inv].db
            let held = db.rows.values.filter { $0 == .reserved || $0 == .pending }.count
            #expect(db.stock.reduce(0, +) + held == stock, "seed \(seed): stock \(db.stock) + held \(held) != \(stock)")
        }
        #expect(Saga.count(c, .running) + Saga.count(c, .compensating) == 0)
    }

    static let base: [(String, String)] = [
        ("accounts", "alice 100 bob 60 carol 200"), ("stock", "book 6"),
        ("broker-duplicate", "20%"), ("broker-reorder", "20%"), ("redelivery", "300ms"),
    ]

    /// The orchestrator recovers from its log, so it needs no outbox; a choreography does
    /// (without one, a crash of the first service between its commit and its publish loses the
    /// saga: see `dualWriteLosesTheEventAndTheOutboxKeepsIt`).
    @Test(arguments: [("orchestration", "no"), ("choreography", "yes"), ("orchestration", "yes")])
    func everySagaEndsCompletedOrCompensatedUnderFaults(style: String, outbox: String) {
        var seen = SagaCounts(), completed = 0, compensated = 0, crashes = 0
        for seed in UInt64(1)...40 {
            var c = Self.cluster(Self.base + [("style", style), ("outbox", outbox), ("steps", "order.create inventory.reserve payment.charge! inventory.confirm order.approve")],
                                 seed: seed, loss: 50_000)
            Self.torture(&c, seed: seed, sagas: 12, crashes: true)
            Self.checkInvariants(c, sagas: 12, money: 360, stock: 6, seed: seed)
            for n in c.nodes {
                seen.duplicated += n.counts.duplicated; seen.redeliveries += n.counts.redeliveries
                seen.duplicatesIgnored += n.counts.duplicatesIgnored; seen.transient += n.counts.transient; seen.refused += n.counts.refused
            }
            completed += Saga.count(c, .completed); compensated += Saga.count(c, .compensated)
            crashes += (0..<c.size).reduce(0) { $0 + c.outages[$1].count }
        }
        // The faults happened: the property is not met by a run where nothing went wrong.
        #expect(seen.duplicated > 50 && seen.redeliveries > 50 && seen.duplicatesIgnored > 50, "\(seen)")
        #expect(seen.transient > 20 && seen.refused > 20, "\(seen)")
        #expect(completed > 100 && compensated > 50, "completed \(completed), compensated \(compensated)")
        #expect(crashes > 50, "crashes \(crashes)")
    }

    /// Choreography with a plain write then publish: the first service crashes between its
    /// commit and its publish, and the saga is lost (the order stays PENDING for good). With an
    /// outbox the event is in the same transaction, and the relay publishes it after the
    /// restart; crashing after the publish, before the outbox row is marked sent, makes the
    /// relay publish it twice, and the consumer applies it once.
    @Test func dualWriteLosesTheEventAndTheOutboxKeepsIt() {
        func run(outbox: Bool, point: SagaNode.CrashPoint) -> Cluster<SagaNode> {
            var c = Self.cluster([("style", "choreography"), ("outbox", outbox ? "yes" : "no")], seed: 3)
            let order = c.topology.id(of: "order")!
            _ = Saga.perform(.crash(order, point), on: &c)
            _ = Saga.perform(.start(count: 1, customer: nil, item: nil, amount: nil), on: &c)
            c.advance(to: c.now + 1_000_000)
            #expect(!c.isUp[order])
            c.restart(order)
            c.advance(to: c.now + 10_000_000)
            return c
        }
        let lost = run(outbox: false, point: .afterCommit)
        let order = lost.topology.id(of: "order")!, inventory = lost.topology.id(of: "inventory")!
        #expect(Saga.state(of: 1, in: lost) == .running)
        #expect(lost.nodes[order].db.rows[1] == .pending)
        #expect(lost.nodes[inventory].counts.received == 0)

        let kept = run(outbox: true, point: .afterCommit)
        #expect(Saga.state(of: 1, in: kept) == .completed)
        #expect(kept.nodes[order].db.rows[1] == .approved)

        let twice = run(outbox: true, point: .afterPublish)
        #expect(Saga.state(of: 1, in: twice) == .completed)
        #expect(twice.nodes[inventory].counts.received >= 2)
        #expect(twice.nodes[inventory].counts.duplicatesIgnored >= 1)
        #expect(twice.nodes[inventory].db.record(1, 1, undo: false)?.applied == 1)

        // Without deduplication the copy is applied again: the book is reserved twice.
        var c = Self.cluster([("style", "choreography"), ("outbox", "yes"), ("dedup", "no")], seed: 3)
        _ = Saga.perform(.crash(order, .afterPublish), on: &c)
        _ = Saga.perform(.start(count: 1, customer: nil, item: nil, amount: nil), on: &c)
        c.advance(to: c.now + 1_000_000)
        c.restart(order)
        c.advance(to: c.now + 10_000_000)
        #expect(c.nodes[inventory].db.record(1, 1, undo: false)?.applied == 2)
        #expect(c.nodes[inventory].db.stock[0] == 3)
    }

    /// A broker that restarts delivers again everything it stored and had not seen
    /// acknowledged (it used to drop the deliveries whose redelivery was not yet due).
    @Test func aRestartedBrokerDeliversWhatWasNotAcknowledged() {
        var c = Self.cluster([("style", "choreography"), ("redelivery", "100ms")], seed: 4)
        let payment = c.topology.id(of: "payment")!, broker = c.topology.id(of: "broker")!
        _ = Saga.perform(.crash(payment, .afterCommit), on: &c)
        _ = Saga.perform(.start(count: 1, customer: nil, item: nil, amount: nil), on: &c)
        _ = c.run(until: { !$0.isUp[payment] }, within: 5_000_000)
        c.restart(payment)
        c.crash(broker)
        c.advance(to: c.now + 10_000)
        c.restart(broker)
        c.advance(to: c.now + 60_000_000)
        #expect(Saga.state(of: 1, in: c) == .completed)
        #expect(c.nodes[broker].queue.unacked == 0)
    }

    /// A compensation runs in reverse: a refusal at the third step undoes the second, then the
    /// first, and nothing after.
    @Test func compensationRunsInReverseOrder() {
        var c = Self.cluster([("steps", "order.create inventory.reserve payment.charge! order.approve")], seed: 5,
                             journal: Journal(.everything))
        let payment = c.topology.id(of: "payment")!
        _ = Saga.perform(.fail(payment, .charge, undo: false, Fault(refusals: 1)), on: &c)
        _ = Saga.perform(.start(count: 1, customer: nil, item: nil, amount: nil), on: &c)
        c.advance(to: 10_000_000)
        #expect(Saga.state(of: 1, in: c) == .compensated)
        let notes = c.journal.entries.filter { $0.kind == .state }.map(\.text)
        let order = notes.filter { $0.contains("s1 ") && ($0.hasSuffix("done") || $0.hasSuffix("undone") || $0.hasSuffix("refused")) }
        #expect(order == ["s1 create done", "s1 reserve done", "s1 charge refused", "s1 release undone", "s1 reject undone"], "\(order)")
    }

    @Test(arguments: ["orchestration", "choreography"])
    func withAnOutboxAndAPollingRelayToo(style: String) {
        for seed in UInt64(100)...120 {
            var c = Self.cluster(Self.base + [("style", style), ("outbox", "yes"), ("relay", "poll 200ms"), ("semantic-lock", "yes"),
                                              ("steps", "order.create inventory.reserve payment.charge! inventory.confirm shipping.schedule order.approve")],
                                 seed: seed, loss: 50_000)
            Self.torture(&c, seed: seed, sagas: 10, crashes: true)
            Self.checkInvariants(c, sagas: 10, money: 360, stock: 6, seed: seed)
        }
    }
}
