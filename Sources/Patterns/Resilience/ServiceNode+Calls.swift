import DequeModule
import Foundation
import Simulation

/// The calling side of a node: each call to a dependency goes through that edge's policy. In
/// order: a semaphore bulkhead (refuse when N calls are out), the breaker (refuse while open),
/// a blocked callee's capacity (wait at the caller), then the attempt with its timeout; a failed
/// attempt is retried after a backoff while attempts and the retry budget last.
extension ServiceNode {
    public struct Edge: Sendable {
        public let callee: NodeID
        public internal(set) var policy: CallPolicy
        public internal(set) var breaker: CircuitBreaker?
        public internal(set) var counts = CallCounts()
        /// Attempts on the wire now.
        public internal(set) var active = 0
        /// Calls waiting because the callee holds back (overflow `block`).
        var blocked = Deque<Int>()
        /// The callee's capacity when it blocks its callers, or nil.
        var calleeBlocks: Int?
        public let calleeName: String
        /// Breaker moves already written to the journal.
        var movesSeen = 0
        /// The pool of a pool bulkhead.
        public internal(set) var pool = ServiceNode.Pool()
        /// First attempts (field 0) and retries (field 1) over the last ten seconds: the retry budget.
        var budget = RecentSeconds(seconds: 10, fields: 2)

        init(callee: NodeID, name: String, policy: CallPolicy, calleeBlocks: Int?) {
            self.callee = callee; calleeName = name; self.policy = policy; self.calleeBlocks = calleeBlocks
            resetBreaker()
        }

        /// A breaker starts afresh (boot, or a new policy): in its configured state.
        mutating func resetBreaker() {
            guard policy.breakerOn else { breaker = nil; return }
            let fresh = CircuitBreaker(policy.breaker, state: policy.breakerState)
            breaker = fresh
            movesSeen = fresh.moves
        }

        public var waiting: Int { blocked.count }

        /// The breaker's last move if the journal has not had it yet. Asked after every call,
        /// so it reads the breaker in place rather than copying it out.
        mutating func newMove() -> CircuitBreaker.Transition? {
            guard let moves = breaker?.peekMoves(), moves != movesSeen else { return nil }
            movesSeen = moves
            return breaker?.lastTransition
        }

        /// Inlined: called on an edge in the node's array, a call the optimiser left out of line
        /// copied the whole edge (584 bytes) first.
        @inline(__always) func budgetAllows(_ now: SimTime) -> Bool {
            guard let p = policy.retry.budgetPercent else { return true }
            return budget.sum(1, now: now) + 1 <= max(1, budget.sum(0, now: now) * p / 100)
        }
    }

    /// One logical call and who waits for it.
    struct OutCall: Sendable {
        enum Owner: Sendable { case job(Int), user(Int), open }
        var edge: Int
        var owner: Owner
        var request: Int
        var number = 0
        /// The attempt on the wire now (a serial of the node), or 0.
        var attempt = 0
        var startedAt: SimTime
        var attemptAt: SimTime = 0
        var previousDelay: SimTime = 0
    }

    // MARK: Load (clients)

    mutating func startLoad(_ io: inout NodeIO<ServiceNode>) {
        switch spec.load {
        case .off: break
        case .rate: schedule(.nextArrival, at: io.localNow + gap(&io))
        case let .closed(users, think):
            userWaiting = Array(repeating: false, count: users)
            // Users start at scattered moments, as people do.
            for u in 0..<users { schedule(.user(u), at: io.localNow + io.random(in: 0...max(1_000, think))) }
        }
    }

    /// The next gap of an open-loop client: fixed, or exponential for Poisson arrivals.
    mutating func gap(_ io: inout NodeIO<ServiceNode>) -> SimTime {
        guard case let .rate(r, poisson) = spec.load, r > 0 else { return 1_000_000 }
        let mean = 1e6 / Double(r)
        return max(1, SimTime((poisson ? -log(1 - io.unit()) * mean : mean).rounded()))
    }

    mutating func arrival(_ io: inout NodeIO<ServiceNode>) {
        guard case .rate = spec.load else { return }
        newRequest(.open, &io)
        schedule(.nextArrival, at: io.localNow + gap(&io))
    }

    mutating func userAsks(_ u: Int, _ io: inout NodeIO<ServiceNode>) {
        guard u < userWaiting.count, !userWaiting[u] else { return }
        userWaiting[u] = true
        newRequest(.user(u), &io)
    }

    /// A new logical request from this client, to one of its callees.
    mutating func newRequest(_ owner: OutCall.Owner, _ io: inout NodeIO<ServiceNode>) {
        guard !edges.isEmpty else { return }
        guard calls.count < Self.maxHeld else { counts.heldAtCap += 1; return }
        counts.requests += 1
        metrics.arrived(at: io.localNow)
        // Unique across clients: the client's number in the high bits.
        let request = id << 32 | (counts.requests & 0xFFFF_FFFF)
        startCall(edge: io.random(below: edges.count), owner: owner, request: request, &io)
    }

    /// `n` requests at once (a burst): every one a logical request of its own.
    mutating func burst(_ n: Int, _ io: inout NodeIO<ServiceNode>) {
        for _ in 0..<n { newRequest(.open, &io) }
        arm(&io)
    }

    /// The load changed: users and arrivals start again from now.
    mutating func loadChanged(_ io: inout NodeIO<ServiceNode>) {
        var kept = MinHeap<Due>()
        for d in agenda.elements {
            switch d.action { case .nextArrival, .user: continue; default: kept.insert(d) }
        }
        agenda = kept
        // Users waiting for a reply stay waiting; the new users are new people.
        userWaiting = []
        startLoad(&io)
        arm(&io)
    }

    // MARK: Calling

    mutating func startCall(edge e: Int, owner: OutCall.Owner, request: Int, _ io: inout NodeIO<ServiceNode>) {
        let callID = calls.insert(OutCall(edge: e, owner: owner, request: request, startedAt: io.localNow))
        edges[e].counts.calls += 1
        edges[e].budget.add(0, at: io.localNow)
        if case .semaphore(let n) = edges[e].policy.bulkhead, edges[e].active + edges[e].blocked.count >= n {
            edges[e].counts.bulkhead += 1
            return end(callID, ok: false, &io)
        }
        attempt(callID, &io)
    }

    /// One attempt of a call (the first, or a retry whose backoff is over).
    mutating func attempt(_ callID: Int, _ io: inout NodeIO<ServiceNode>) {
        guard var call = calls[callID] else { return }
        let e = call.edge, now = io.localNow
        // Asked through the optional in place: `breaker != nil` copied the whole breaker out
        // (216 bytes and its buffers' reference counts) on every call.
        if let allowed = edges[e].breaker?.tryAcquire(now: now) {
            noteTransition(e, &io)
            guard allowed else {
                // Failing fast is the point: no retry against an open breaker.
                edges[e].counts.breaker += 1
                return end(callID, ok: false, &io)
            }
        }
        if let cap = edges[e].calleeBlocks, edges[e].active >= cap {
            edges[e].blocked.append(callID)
            return
        }
        let attemptID = nextSerial()
        call.number += 1
        call.attemptAt = now
        call.attempt = attemptID
        calls[callID] = call
        edges[e].active += 1
        edges[e].counts.attempts += 1
        if call.number > 1 { edges[e].counts.retries += 1 }
        let p = edges[e].policy
        io.send(.call(ServiceNode.Call(call: callID, attempt: attemptID, request: call.request, number: call.number,
                                       keyed: p.idempotencyKey, conditional: p.conditional, deadline: now + p.timeout)), to: edges[e].callee)
        let deadline = now + p.timeout
        if let last = timeouts[e].last, last.deadline > deadline {
            schedule(.timeout(call: callID, attempt: attemptID), at: deadline)
        } else {
            timeouts[e].append(Pending(deadline: deadline, call: callID, attempt: attemptID))
            queued(deadline)
        }
    }

    mutating func replied(_ r: Reply, _ io: inout NodeIO<ServiceNode>) {
        // The attempt ends, in place (no copy of the call out and back).
        let ended = calls.update(r.call) { call -> (edge: Int, attemptAt: SimTime)? in
            guard call.attempt == r.attempt else { return nil }
            call.attempt = 0
            return (call.edge, call.attemptAt)
        }
        guard let attempt = ended ?? nil else {
            counts.late += 1
            return
        }
        let callID = r.call, e = attempt.edge, now = io.localNow
        let took = now - attempt.attemptAt
        edges[e].active -= 1
        // A conditional write that found the row already changed is done: the row is as this
        // call wanted it (an earlier attempt of it got there).
        let failed = r.result != .ok && r.result != .unchanged
        edges[e].breaker?.record(failed: failed, duration: took, now: now)
        noteTransition(e, &io)
        switch r.result {
        case .ok: if took > edges[e].policy.slowCall { edges[e].counts.slow += 1 } else { edges[e].counts.ok += 1 }
        case .unchanged: edges[e].counts.unchanged += 1
        case .error, .conflict: edges[e].counts.failed += 1
        case .full: edges[e].counts.full += 1
        case .limited: edges[e].counts.limited += 1
        }
        if failed { retryOrGiveUp(callID, &io) } else { end(callID, ok: true, &io) }
        unblock(e, &io)
    }

    mutating func timedOut(_ callID: Int, attempt: Int, _ io: inout NodeIO<ServiceNode>) {
        guard var call = calls[callID], call.attempt == attempt else { return }
        call.attempt = 0
        calls[callID] = call
        let e = call.edge
        edges[e].active -= 1
        edges[e].counts.timeouts += 1
        edges[e].breaker?.record(failed: true, duration: io.localNow - call.attemptAt, now: io.localNow)
        noteTransition(e, &io)
        retryOrGiveUp(callID, &io)
        unblock(e, &io)
    }

    mutating func retryOrGiveUp(_ callID: Int, _ io: inout NodeIO<ServiceNode>) {
        guard var call = calls[callID] else { return }
        let e = call.edge, now = io.localNow
        let retry = edges[e].policy.retry
        guard call.number < retry.maxAttempts else { return end(callID, ok: false, &io) }
        guard edges[e].budgetAllows(now) else {
            edges[e].counts.budgetRefused += 1
            return end(callID, ok: false, &io)
        }
        edges[e].budget.add(1, at: now)
        let delay = retry.delay(retry: call.number, previous: call.previousDelay) { io.random(in: $0) }
        call.previousDelay = delay
        calls[callID] = call
        schedule(.retry(call: callID), at: now + delay)
    }

    /// An attempt on edge `e` ended: a call waiting for the blocked callee may go.
    mutating func unblock(_ e: Int, _ io: inout NodeIO<ServiceNode>) {
        while let cap = edges[e].calleeBlocks, edges[e].active < cap, let next = edges[e].blocked.popFirst() {
            guard calls.contains(next) else { continue }
            attempt(next, &io)
        }
    }

    /// A call is over, for good: whoever waited for it goes on.
    mutating func end(_ callID: Int, ok: Bool, _ io: inout NodeIO<ServiceNode>) {
        guard let call = calls.remove(callID) else { return }
        let now = io.localNow
        switch call.owner {
        case .job(let j): finish(j, ok ? .ok : .error, &io)
        case .user(let u):
            recordRequest(call, ok: ok, now)
            if u < userWaiting.count, case let .closed(_, think) = spec.load {
                userWaiting[u] = false
                // A request refused at once (an open breaker, a full bulkhead) took no time:
                // with no think time its user would ask again at the same instant, for ever.
                let pause = now == call.startedAt ? max(think, Self.refusedPause) : think
                schedule(.user(u), at: now + pause)
            }
        case .open: recordRequest(call, ok: ok, now)
        }
    }

    mutating func recordRequest(_ call: OutCall, ok: Bool, _ now: SimTime) {
        if ok { counts.succeeded += 1 } else { counts.failed += 1 }
        metrics.left(at: now, took: now - call.startedAt, succeeded: ok)
    }

    /// A breaker that moved says so in the journal, with its reason.
    mutating func noteTransition(_ e: Int, _ io: inout NodeIO<ServiceNode>) {
        guard let t = edges[e].newMove() else { return }
        io.note("breaker →\(edges[e].calleeName): \(t.from.shout) → \(t.to.shout): \(t.reason)")
        if let wake = edges[e].breaker?.automaticWakeAt { schedule(.breakerWake(edge: e, at: wake), at: wake) }
    }
}

/// What one caller saw of its calls to one callee: logical calls, attempts, and every attempt's
/// outcome told apart.
public struct CallCounts: Sendable, Equatable {
    public var calls = 0, attempts = 0, retries = 0
    public var ok = 0
    /// Succeeded, but slower than the slow-call duration.
    public var slow = 0
    public var failed = 0, timeouts = 0
    /// Refused by the callee: its queue was full, or its rate limiter said no.
    public var full = 0, limited = 0
    /// Refused by this caller's breaker or bulkhead, never sent.
    public var breaker = 0, bulkhead = 0
    /// Retries the retry budget did not allow.
    public var budgetRefused = 0
    /// Conditional writes the callee found already made (an earlier attempt had made them).
    public var unchanged = 0
}
