import DequeModule
import Simulation

/// A client or a service of the resilience pattern. A service takes requests into a pool of
/// workers with a bounded (or unbounded) queue, works on each for its service time, then, if it
/// has dependencies, calls one of them and holds its worker until that call ends; a client makes
/// requests at a rate or as a number of users who wait and think. Every call a node makes goes
/// through its policy for that callee: a timeout per attempt, retries with backoff and jitter, a
/// circuit breaker, a bulkhead, an idempotency key (see `ServiceNode+Calls.swift`).
///
/// A node has thousands of deadlines at once (every call's timeout, every worker's finish), so it
/// keeps them in an agenda of its own and asks the cluster for one timer: the earliest.
public struct ServiceNode: NodeModel {
    public enum Message: Sendable, CustomStringConvertible {
        case call(Call)
        case reply(Reply)
        public var description: String {
            switch self {
            case .call(let c): "call r\(c.request & 0xFFFF_FFFF)" + (c.number > 1 ? " try \(c.number)" : "") + (c.keyed ? " key" : "") + (c.conditional ? " if unpaid" : "")
            case .reply(let r): "reply \(r.result.rawValue)"
            }
        }
    }

    public struct Call: Sendable {
        /// The call and the attempt at the caller: the reply names both.
        public var call: Int
        public var attempt: Int
        /// The logical request (the same on every retry).
        public var request: Int
        /// Which attempt this is, from 1.
        public var number: Int
        /// Whether the request id travels as an idempotency key.
        public var keyed: Bool
        /// A conditional write: applied only if the row has not changed (compare-and-swap).
        public var conditional: Bool
        /// When the caller gives up on this attempt (its local time).
        public var deadline: SimTime
    }

    public enum Result: String, Sendable {
        case ok, error
        /// Refused: the queue (or a pool bulkhead) was full, or the request was dropped from it.
        case full
        /// Refused by the rate limiter.
        case limited
        /// The same key is being worked on right now.
        case conflict
        /// A conditional write found the row already changed, and changed nothing.
        case unchanged
    }

    public struct Reply: Sendable {
        public var call: Int
        public var attempt: Int
        public var result: Result
    }

    public enum Timer: Int, TimerKind {
        case wake
        public static let slotCount = 1
        public var description: String { "wake" }
    }

    public typealias Config = ResilienceConfig

    // MARK: State

    public let id: NodeID
    public internal(set) var spec: ServiceSpec
    public let isClient: Bool
    public internal(set) var edges: [Edge]
    /// Per edge, the deadlines of its attempts on the wire, in order. Kept apart from `edges`
    /// because they are read after every event, and an `Edge` is large to copy.
    var timeouts: [Deque<Pending>]
    var agenda = MinHeap<Due>()
    var armedAt: SimTime?
    /// The earliest deadline queued (an action or a timeout) since `arm` last looked, if any:
    /// while none is earlier than the armed timer, `arm` has nothing to do.
    var queuedSince: SimTime?
    var serial = 0
    /// The last time a handler saw (local): a crash has no clock of its own.
    var lastNow: SimTime = 0

    /// Requests being worked on or waiting.
    var jobs = Slab<Job>()
    public internal(set) var shared = Pool()
    /// Logical calls this node has made and not finished (each knows its attempt on the wire).
    var calls = Slab<OutCall>()
    /// Closed-loop users: whether each is waiting for a reply.
    var userWaiting: [Bool] = []
    var tokens = 0.0
    var tokensAt: SimTime = 0

    // Durable: a database survives a crash.
    var dedup: [Int: Result?] = [:]
    var dedupOrder = Deque<Int>()
    var applied = IntSet()
    var appliedOrder = Deque<Int>()
    static let remembered = 50_000

    // Measured (the observer's, so they survive a crash too).
    public internal(set) var metrics = Metrics()
    public internal(set) var counts = ServiceCounts()

    public init(id: NodeID, clusterSize: Int, config: ResilienceConfig) {
        self.id = id
        spec = config.services[id]
        isClient = config.isClient[id]
        edges = config.callees[id].enumerated().map { k, callee in
            Edge(callee: callee, name: config.names[callee], policy: config.policies[id][k], calleeBlocks: config.services[callee].overflow == .block ? config.services[callee].capacity : nil)
        }
        timeouts = Array(repeating: Deque(), count: edges.count)
    }

    public mutating func boot(_ io: inout NodeIO<ServiceNode>) {
        lastNow = io.localNow
        for k in edges.indices { edges[k].resetBreaker() }
        tokens = Double(spec.rateLimit?.burst ?? 0); tokensAt = io.localNow
        if isClient { startLoad(&io) }
        arm(&io)
    }

    public mutating func crash() {
        // What was in memory is gone: queued and running requests, calls waiting for replies,
        // breakers' windows. Replies that arrive later find nothing and are counted late.
        jobs.removeAll(); calls.removeAll(); agenda = MinHeap(); armedAt = nil; queuedSince = nil
        shared = Pool(); userWaiting = []
        for k in edges.indices { edges[k].active = 0; edges[k].blocked.removeAll(); edges[k].pool = Pool(); timeouts[k].removeAll() }
        metrics.reset(at: lastNow)
    }

    public mutating func receive(_ m: Message, from: NodeID, _ io: inout NodeIO<ServiceNode>) {
        lastNow = io.localNow
        switch m {
        case .call(let c): accept(c, from: from, &io)
        case .reply(let r): replied(r, &io)
        }
        arm(&io)
    }

    public mutating func fire(_ t: Timer, _ io: inout NodeIO<ServiceNode>) {
        lastNow = io.localNow
        armedAt = nil
        let now = io.localNow
        // Everything due, in time order: the agenda and each edge's queue of timeouts.
        var handled = 0
        while handled < Self.actionsPerWake {
            handled += 1
            purgeTimeouts()
            let (edge, deadline) = earliestTimeout()
            if let d = agenda.min, d.time <= now, deadline.map({ d.time <= $0 }) ?? true {
                _ = agenda.popMin()
                run(d.action, &io)
            } else if let e = edge, let t = deadline, t <= now {
                let p = timeouts[e].removeFirst()
                timedOut(p.call, attempt: p.attempt, &io)
            } else { break }
        }
        arm(&io)
    }

    // MARK: The agenda

    /// An action and when it is due; `order` (the node's serial, never repeated) breaks ties
    /// in the order actions were scheduled.
    struct Due: HeapOrdered {
        var time: SimTime
        var order: Int
        var action: Action
        @inline(__always) static func precedes(_ a: Due, _ b: Due) -> Bool {
            a.time < b.time || (a.time == b.time && a.order < b.order)
        }
    }

    enum Action: Sendable {
        case nextArrival
        case user(Int)
        case finishWork(job: Int)
        /// A timeout kept here only when it is earlier than its edge's last (the timeout was
        /// shortened mid-lesson); the others wait in their edge's queue, in order.
        case timeout(call: Int, attempt: Int)
        case retry(call: Int)
        /// The breaker's automatic wait in open ends at `at`. Stale once the breaker is no
        /// longer waiting for that moment (it moved on, or opened again with a later one).
        case breakerWake(edge: Int, at: SimTime)
    }

    /// An attempt's deadline, in its edge's queue. Every attempt on an edge gets the same
    /// timeout, so deadlines arrive in order and the queue needs no heap.
    struct Pending: Sendable {
        var deadline: SimTime
        var call: Int
        var attempt: Int
    }

    func isLive(_ p: Pending) -> Bool { calls.read(p.call) { $0.attempt } == p.attempt }

    /// Drops timeouts of attempts that already ended from the front of each edge's queue.
    mutating func purgeTimeouts() {
        for e in timeouts.indices {
            while let p = timeouts[e].first, !isLive(p) { timeouts[e].removeFirst() }
        }
    }

    func earliestTimeout() -> (edge: Int?, deadline: SimTime?) {
        var best: (Int?, SimTime?) = (nil, nil)
        for e in timeouts.indices {
            if let p = timeouts[e].first, best.1.map({ p.deadline < $0 }) ?? true { best = (e, p.deadline) }
        }
        return best
    }

    mutating func nextSerial() -> Int { serial += 1; return serial }

    mutating func schedule(_ a: Action, at t: SimTime) {
        agenda.insert(Due(time: t, order: nextSerial(), action: a))
        queued(t)
    }

    /// A deadline was queued: `arm` must look again if it is earlier than any queued since.
    @inline(__always) mutating func queued(_ t: SimTime) {
        if let q = queuedSince, q <= t { return }
        queuedSince = t
    }

    /// Inlined: asked for every action from mutating code, it copied the whole node (616 bytes)
    /// on each call the optimiser left out of line.
    @inline(__always) func isStale(_ a: Action) -> Bool {
        switch a {
        case .nextArrival, .user: false
        case .finishWork(let j): !jobs.contains(j)
        case let .timeout(c, a): calls.read(c) { $0.attempt } != a
        case .retry(let c): !calls.contains(c)
        case let .breakerWake(e, at): edges[e].breaker?.automaticWakeAt != at
        }
    }

    mutating func run(_ a: Action, _ io: inout NodeIO<ServiceNode>) {
        guard !isStale(a) else { return }
        switch a {
        case .nextArrival: arrival(&io)
        case .user(let u): userAsks(u, &io)
        case .finishWork(let j): workDone(j, &io)
        case let .timeout(c, a): timedOut(c, attempt: a, &io)
        case .retry(let c): attempt(c, &io)
        case .breakerWake(let e, _): edges[e].breaker?.tick(now: io.localNow); noteTransition(e, &io)
        }
    }

    /// Asks the cluster for one timer, at the earliest live deadline. Deadlines of calls that
    /// already ended are dropped from the head first, so they cost no event. A timer already
    /// armed for earlier is left alone: when it fires early it finds nothing due and re-arms,
    /// which costs less than replacing it every time the earliest deadline moves later.
    ///
    /// So the armed time only ever moves earlier, and only a deadline queued since the last
    /// look can move it: when none was earlier than the armed time (most requests finish after
    /// the earliest of the 200 already being worked on), the answer is known without looking.
    /// (Looking after every event, through the agenda's head and every edge's timeouts, was
    /// 7 % of the resilience benchmark.)
    mutating func arm(_ io: inout NodeIO<ServiceNode>) {
        let since = queuedSince
        queuedSince = nil
        if let armed = armedAt, armed >= io.localNow, since.map({ $0 >= armed }) ?? true { return }
        while let d = agenda.min, isStale(d.action) { _ = agenda.popMin() }
        purgeTimeouts()
        let timeout = earliestTimeout().deadline
        guard let next = agenda.min.map({ d in timeout.map { min($0, d.time) } ?? d.time }) ?? timeout else { return }
        if let armed = armedAt, armed <= next, armed >= io.localNow { return }
        armedAt = next
        io.setTimer(.wake, after: max(0, next - io.localNow))
    }

    // MARK: Serving

    /// A worker pool: busy workers and the requests waiting for one.
    public struct Pool: Sendable, Equatable {
        public internal(set) var busy = 0
        var waiting = Deque<Int>()
        public var queued: Int { waiting.count }
    }

    struct Job: Sendable {
        var caller: NodeID
        var call: Call
        var arrivedAt: SimTime
        /// The dependency this request needs (an index into `edges`), if any.
        var route: Int?
        /// Which pool serves it: nil the shared one, else the edge's own (a pool bulkhead).
        var pool: Int?
        var working = false
        /// Let in (started or queued), so it counts in the measurements when it leaves.
        var admitted = false
    }

    func capacity(of pool: Int?) -> (workers: Int, queue: Int?) {
        if let e = pool, case let .pool(w, q) = edges[e].policy.bulkhead { return (w, q) }
        return (spec.workers, spec.queue)
    }

    mutating func withPool<T>(_ p: Int?, _ body: (inout Pool) -> T) -> T {
        if let e = p { return body(&edges[e].pool) }
        return body(&shared)
    }

    mutating func accept(_ c: Call, from caller: NodeID, _ io: inout NodeIO<ServiceNode>) {
        let now = io.localNow
        counts.received += 1
        metrics.knocked(at: now)
        // A request refused at the door never enters the system: it is counted, but it is not
        // part of the service's latency, throughput or Little's law.
        func refuse(_ r: Result) {
            io.send(.reply(Reply(call: c.call, attempt: c.attempt, result: r)), to: caller)
        }
        if spec.faults.down { counts.failed += 1; return refuse(.error) }
        if let limit = spec.rateLimit {
            tokens = min(Double(limit.burst), tokens + Double(now - tokensAt) * Double(limit.perSecond) / 1e6)
            tokensAt = now
            guard tokens >= 1 else { counts.limited += 1; return refuse(.limited) }
            tokens -= 1
        }
        if c.keyed {
            if let entry = dedup[c.request] {
                guard let result = entry else { counts.conflicts += 1; return refuse(.conflict) }
                // The first attempt's answer, without doing the work again.
                counts.deduplicated += 1
                io.send(.reply(Reply(call: c.call, attempt: c.attempt, result: result)), to: caller)
                return
            }
            remember(c.request, nil)
        }
        let route = edges.isEmpty ? nil : io.random(below: edges.count)
        var pool: Int?
        if let r = route, case .pool = edges[r].policy.bulkhead { pool = r }
        let jobID = jobs.insert(Job(caller: caller, call: c, arrivedAt: now, route: route, pool: pool))
        let (workers, queue) = capacity(of: pool)
        // Only the counts: a copy of the pool would share its queue's storage, and the append
        // below would then copy the whole queue (a tenth of the benchmark went to that).
        let (busy, queued) = withPool(pool) { ($0.busy, $0.queued) }
        if busy < workers { admit(jobID, now); return start(jobID, &io) }
        // An unbounded queue is bounded by the simulator: beyond `maxHeld` requests a service
        // refuses as if full (its row says so), so a run past capacity cannot eat the memory.
        let room = queue.map { queued < $0 } ?? (jobs.count <= Self.maxHeld)
        if room {
            admit(jobID, now)
            withPool(pool) { $0.waiting.append(jobID) }
            return
        }
        if queue == nil { counts.heldAtCap += 1 }
        // Full. A pool bulkhead's refusal is this service protecting itself from one dependency.
        if spec.overflow == .dropOldest, pool == nil, let oldest = withPool(pool, { $0.waiting.popFirst() }) {
            finish(oldest, .full, &io)
            admit(jobID, now)
            withPool(pool) { $0.waiting.append(jobID) }
            return
        }
        if let p = pool { edges[p].counts.bulkhead += 1 }
        finish(jobID, .full, &io)
    }

    /// The most requests a node holds at once (a service's unbounded queue, a client's
    /// requests waiting for answers).
    public static let maxHeld = 20_000
    /// How long a closed-loop user whose request was refused on the spot waits before asking again.
    static let refusedPause: SimTime = 1_000
    /// Actions one wake may carry out: the rest wait for the next wake (a microsecond later),
    /// so no handler runs unbounded and every action still counts toward the event limit.
    static let actionsPerWake = 10_000

    mutating func admit(_ jobID: Int, _ now: SimTime) {
        jobs.update(jobID) { $0.admitted = true }
        metrics.arrived(at: now)
    }

    mutating func start(_ jobID: Int, _ io: inout NodeIO<ServiceNode>) {
        guard let pool = jobs.update(jobID, { job in job.working = true; return job.pool }) else { return }
        withPool(pool) { $0.busy += 1 }
        let work: SimTime
        switch spec.serviceTime {
        case .fixed(let d): work = d
        case .uniform(let r): work = io.random(in: r)
        case .exponential(let m): work = SimTime((-log(1 - io.unit()) * Double(m)).rounded())
        }
        schedule(.finishWork(job: jobID), at: io.localNow + max(1, work + spec.faults.slow))
    }

    /// The service's own work is done: fail it (a `fail` fault), call the dependency it needs,
    /// or, at the end of the chain, apply it (a charge) and answer.
    mutating func workDone(_ jobID: Int, _ io: inout NodeIO<ServiceNode>) {
        guard let job = jobs[jobID] else { return }
        if spec.faults.failPPM > 0, io.random(below: 1_000_000) < spec.faults.failPPM { return finish(jobID, .error, &io) }
        if let r = job.route { return startCall(edge: r, owner: .job(jobID), request: job.call.request, &io) }
        if job.call.conditional, applied.contains(job.call.request) {
            // UPDATE … SET paid WHERE id = ? AND NOT paid: zero rows changed.
            counts.unchanged += 1
            return finish(jobID, .unchanged, &io)
        }
        counts.charges += 1
        if applied.contains(job.call.request) { counts.doubleCharges += 1 } else {
            applied.insert(job.call.request); appliedOrder.append(job.call.request)
            if appliedOrder.count > Self.remembered { applied.remove(appliedOrder.removeFirst()) }
        }
        finish(jobID, .ok, &io)
    }

    /// Answers a request, frees its worker (if it had one) and starts the next waiting request.
    mutating func finish(_ jobID: Int, _ result: Result, _ io: inout NodeIO<ServiceNode>) {
        guard let job = jobs.remove(jobID) else { return }
        let now = io.localNow
        io.send(.reply(Reply(call: job.call.call, attempt: job.call.attempt, result: result)), to: job.caller)
        if job.admitted {
            metrics.left(at: now, took: now - job.arrivedAt, succeeded: result == .ok || result == .unchanged, served: job.working)
        }
        switch result {
        case .ok, .unchanged: counts.succeeded += 1
        case .full: counts.rejected += 1
        default: counts.failed += 1
        }
        if job.call.keyed {
            // A success is remembered for the retries to come; a failure may be tried again.
            if result == .ok { remember(job.call.request, .ok) } else { dedup[job.call.request] = nil }
        }
        guard job.working else { return }
        withPool(job.pool) { $0.busy -= 1 }
        while let next = withPool(job.pool, { $0.waiting.popFirst() }) {
            guard let waiting = jobs[next] else { continue }
            // Shedding: the caller gave up on this one while it waited; working on it helps nobody.
            if spec.shedExpired, now > waiting.call.deadline {
                jobs[next] = nil
                counts.shed += 1
                if waiting.call.keyed { dedup[waiting.call.request] = nil }
                metrics.left(at: now, took: now - waiting.arrivedAt, succeeded: false, served: false)
                continue
            }
            start(next, &io)
            break
        }
    }

    mutating func remember(_ request: Int, _ r: Result?) {
        if dedup.updateValue(r, forKey: request) == nil {
            dedupOrder.append(request)
            if dedupOrder.count > Self.remembered { dedup[dedupOrder.removeFirst()] = nil }
        }
    }

    // MARK: Reading

    /// Requests waiting for a worker, in every pool.
    public var queued: Int { shared.queued + edges.reduce(0) { $0 + $1.pool.queued } }
    public var busy: Int { shared.busy + edges.reduce(0) { $0 + $1.pool.busy } }
    /// Calls of this node's users or requests that have not ended (a client's outstanding requests).
    public var outstanding: Int { calls.count }
    /// Requests this service holds (queued or being worked on).
    public var holding: Int { jobs.count }
}

/// What a service did with the requests it received (a client's `succeeded` and `failed` are its
/// own requests' final results).
public struct ServiceCounts: Sendable, Equatable {
    public var received = 0, succeeded = 0, failed = 0
    /// Refused because the queue was full or dropped from it.
    public var rejected = 0
    public var limited = 0, shed = 0, conflicts = 0
    /// Effects applied at the end of the chain (a charge), and how many applied a request twice.
    public var charges = 0, doubleCharges = 0
    /// Retries answered from the idempotency table without doing the work again.
    public var deduplicated = 0
    /// Conditional writes refused because the row had already changed.
    public var unchanged = 0
    /// Replies that came after their attempt had timed out.
    public var late = 0
    /// Requests a client started.
    public var requests = 0
    /// Requests refused because the node already held `maxHeld` (an unbounded queue at the
    /// simulator's bound), and requests a client could not start for the same reason.
    public var heldAtCap = 0
}

import Foundation
