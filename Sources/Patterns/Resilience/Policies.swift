import Simulation

/// Retries as AWS's "Exponential Backoff and Jitter" (Brooker, 2015) describes them, with
/// Resilience4j's `maxAttempts` (the first call counts) and a retry budget (Finagle's idea: a
/// caller may retry only a share of the calls it makes, so a failing dependency is not sent
/// several times its normal load).
public struct RetryPolicy: Sendable, Equatable {
    public enum Backoff: Sendable, Equatable {
        case fixed(SimTime)
        case exponential(base: SimTime, cap: SimTime)
        public var text: String {
            switch self {
            case .fixed(let d): "fixed \(SimDuration.format(d))"
            case let .exponential(b, c): "exponential \(SimDuration.format(b)) cap \(SimDuration.format(c))"
            }
        }
    }
    public enum Jitter: String, Sendable, CaseIterable { case none, full, equal, decorrelated }

    /// Attempts in all, the first included: 1 means no retries.
    public var maxAttempts = 1
    public var backoff = Backoff.exponential(base: 100_000, cap: 10_000_000)
    public var jitter = Jitter.none
    /// Retries allowed as a share (percent) of the first attempts of the last ten seconds; nil: no budget.
    public var budgetPercent: Int?
    public init() {}

    /// The wait before retry number `retry` (1 after the first failure), given the previous wait.
    public func delay(retry: Int, previous: SimTime, _ draw: (ClosedRange<SimTime>) -> SimTime) -> SimTime {
        let (base, cap): (SimTime, SimTime)
        switch backoff {
        case .fixed(let d): (base, cap) = (d, d)
        case let .exponential(b, c): (base, cap) = (b, c)
        }
        // base·2^(retry-1), without overflowing for a large attempt number.
        let shift = min(max(0, retry - 1), 40)
        let bound = min(cap, base > cap >> shift ? cap : base << shift)
        switch jitter {
        case .none: return bound
        case .full: return draw(0...bound)
        case .equal: return bound / 2 + draw(0...(bound - bound / 2))
        case .decorrelated:
            let hi = max(base, min(cap, 3 * max(previous, base)))
            return min(cap, draw(base...hi))
        }
    }
}

/// Where a service's requests wait and what happens when the wait is full.
public enum Overflow: String, Sendable, CaseIterable {
    /// The arriving request is refused.
    case dropNewest = "drop-newest"
    /// The oldest waiting request is refused to make room.
    case dropOldest = "drop-oldest"
    /// Callers hold back: none sends more than this service can hold (workers + queue), and
    /// the rest wait at the caller, whose own workers stay busy: the pressure travels upstream.
    case block
}

/// A bulkhead on one caller→callee edge (Resilience4j's two kinds).
public enum Bulkhead: Sendable, Equatable {
    case none
    /// At most N calls to this callee at once; one more is refused at once.
    case semaphore(Int)
    /// Requests that need this callee run in a pool of their own (N workers, a queue of Q),
    /// not in the service's shared pool.
    case pool(workers: Int, queue: Int)
    public var text: String {
        switch self {
        case .none: "none"
        case .semaphore(let n): "semaphore \(n)"
        case let .pool(w, q): "pool \(w) queue \(q)"
        }
    }
}

/// How long a service works on one request.
public enum ServiceTime: Sendable, Equatable {
    case fixed(SimTime)
    case uniform(ClosedRange<SimTime>)
    case exponential(mean: SimTime)
    public var text: String {
        switch self {
        case .fixed(let d): SimDuration.format(d)
        case .uniform(let r): "\(SimDuration.format(r.lowerBound))-\(SimDuration.format(r.upperBound))"
        case .exponential(let m): "exp \(SimDuration.format(m))"
        }
    }
    public var mean: SimTime {
        switch self {
        case .fixed(let d): d
        case .uniform(let r): (r.lowerBound + r.upperBound) / 2
        case .exponential(let m): m
        }
    }
}

/// How a client makes requests.
public enum Load: Sendable, Equatable {
    case off
    /// Open loop: a request every 1/rate seconds, whether or not earlier ones finished.
    case rate(perSecond: Int, poisson: Bool)
    /// Closed loop: N users, each waiting for its reply, then thinking, then asking again.
    case closed(users: Int, think: SimTime)
    public var text: String {
        switch self {
        case .off: "off"
        case let .rate(r, p): (p ? "poisson " : "") + "\(r)/s"
        case let .closed(u, t): "closed \(u) think \(SimDuration.format(t))"
        }
    }
}

/// A token bucket: `rate` tokens a second up to `burst`; a request takes one or is refused.
public struct RateLimit: Sendable, Equatable {
    public var perSecond: Int
    public var burst: Int
    public var text: String { "\(perSecond)/s burst \(burst)" }
}

/// What a lesson has done to a service.
public struct Faults: Sendable, Equatable {
    /// Added to every request's service time.
    public var slow: SimTime = 0
    /// Share of requests (parts per million) that fail after their service time.
    public var failPPM = 0
    /// Refuses every request at once (connection refused).
    public var down = false
    public var isNormal: Bool { slow == 0 && failPPM == 0 && !down }
    public var text: String {
        var parts: [String] = []
        if down { parts.append("down") }
        if slow > 0 { parts.append("slow +\(SimDuration.format(slow))") }
        if failPPM > 0 { parts.append("failing \(failPPM / 10_000)%") }
        return parts.isEmpty ? "normal" : parts.joined(separator: ", ")
    }
}

/// One service's capacity and behaviour (a client's only `load` matters).
public struct ServiceSpec: Sendable, Equatable {
    public var workers = 10
    /// nil: unbounded.
    public var queue: Int? = 50
    public var overflow = Overflow.dropNewest
    public var serviceTime = ServiceTime.fixed(20_000)
    public var rateLimit: RateLimit?
    /// Drop a request whose caller's deadline passed while it waited.
    public var shedExpired = false
    public var load = Load.rate(perSecond: 50, poisson: false)
    public var faults = Faults()
    public init() {}
    /// The most requests it holds at once: what a blocked caller may send it.
    public var capacity: Int { workers + (queue ?? 1_000_000) }
}

/// What a caller does about one callee.
public struct CallPolicy: Sendable, Equatable {
    public var timeout: SimTime = 1_000_000
    public var retry = RetryPolicy()
    /// The breaker's settings, kept whether or not the edge has one.
    public var breaker = BreakerConfig()
    /// Whether the edge has a breaker, and the state it starts in (closed, or a special state).
    public var breakerOn = false
    public var breakerState = CircuitBreaker.State.closed
    /// A successful call slower than this is counted slow (the breaker's slow-call duration).
    public var slowCall: SimTime { breaker.slowCall }
    public var bulkhead = Bulkhead.none
    /// Send an idempotency key (the logical request's id) with every attempt.
    public var idempotencyKey = false
    /// Make the write conditional (compare-and-swap): apply only if the row is still as the
    /// request first found it, unpaid; a retry that finds it paid changes nothing.
    public var conditional = false
    public init() {}
}
