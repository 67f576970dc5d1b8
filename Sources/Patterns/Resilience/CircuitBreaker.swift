import Simulation

/// A circuit breaker with Resilience4j's semantics (`CircuitBreakerConfig`), defaults included:
/// a sliding window of call outcomes (the last N calls, or the last N seconds), a failure rate
/// and a slow-call rate computed only once the window holds the minimum number of calls, OPEN
/// when either rate reaches its threshold, a wait in OPEN, HALF_OPEN admitting a fixed number of
/// trial calls and deciding by the same thresholds, and the three special states (DISABLED,
/// METRICS_ONLY, FORCED_OPEN). Pure: the caller passes the time and the outcome; every
/// transition keeps its reason in words.
public struct BreakerConfig: Sendable, Equatable {
    public enum Window: Sendable, Equatable {
        /// The last N calls.
        case count(Int)
        /// The calls of the last N seconds (aggregated per second, as Resilience4j does).
        case time(seconds: Int)
        public var text: String {
            switch self {
            case .count(let n): "count \(n)"
            case .time(let s): "time \(s)s"
            }
        }
    }
    public var window = Window.count(100)
    /// Calls the window must hold before a rate is computed (capped at a count window's size).
    public var minimumCalls = 100
    public var failureThreshold = 50
    public var slowThreshold = 100
    /// A call that takes longer than this is slow (whatever its outcome).
    public var slowCall: SimTime = 60_000_000
    public var waitInOpen: SimTime = 60_000_000
    public var halfOpenCalls = 10
    /// Leave OPEN when the wait is over by itself, not at the first call after it.
    public var automaticHalfOpen = false
    public init() {}

    /// The calls a rate needs: Resilience4j caps the minimum at a count window's size.
    public var callsNeeded: Int {
        if case .count(let n) = window { return min(minimumCalls, n) }
        return minimumCalls
    }
}

public struct CircuitBreaker: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case closed, open, halfOpen = "half-open", disabled, metricsOnly = "metrics-only", forcedOpen = "forced-open"
        public var shout: String { rawValue.uppercased() }
    }

    /// One call's result as the breaker classifies it.
    public enum Mark: UInt8, Sendable {
        case ok, slow, failed, slowFailed
        var failed: Bool { self == .failed || self == .slowFailed }
        var slow: Bool { self == .slow || self == .slowFailed }
    }

    public struct Transition: Sendable, Equatable {
        public var from: State, to: State
        public var at: SimTime
        public var reason: String
    }

    public var config: BreakerConfig
    public private(set) var state = State.closed
    public private(set) var openedAt: SimTime = 0
    /// Trial calls let through in HALF_OPEN so far.
    public private(set) var admitted = 0
    /// Calls refused while OPEN, FORCED_OPEN or past HALF_OPEN's permits (CallNotPermitted).
    public private(set) var notPermitted = 0
    public private(set) var transitions: [Transition] = []
    /// Transitions made in all (the list above keeps the last sixteen).
    public private(set) var moves = 0
    /// `moves`, for a caller holding the breaker in an optional: `breaker?.peekMoves()` reads it
    /// in place, where `breaker?.moves` copied the whole breaker out first (216 bytes and its
    /// buffers' reference counts, after every call).
    mutating func peekMoves() -> Int { moves }
    /// The outcomes in the window now, newest last, for the strip on the screen: a count
    /// window's calls (its last `windowSlots`; emptied when the breaker moves, as the window
    /// is), or the last few of a time window. May hold a few older ones: read its suffix.
    public private(set) var recent: [Mark] = []
    public static let recentKept = 24
    /// How many outcomes the strip can hold: the count window's size, or `recentKept`.
    public var windowSlots: Int { window.byTime ? Self.recentKept : window.size }
    /// Calls the window needs before it has a rate: the minimum, or half-open's trial calls
    /// (an OPEN breaker keeps the window, and so the minimum, that tripped it).
    public private(set) var windowNeeded: Int

    var window: Window

    /// A breaker in `state` from the start (closed, or a special state an operator chose):
    /// starting there is not a move, so it is not counted as one.
    public init(_ config: BreakerConfig = BreakerConfig(), state: State = .closed) {
        self.config = config
        self.state = state
        window = Window(config.window)
        windowNeeded = config.callsNeeded
    }

    // MARK: Asking

    /// Whether a call may go ahead at `now`. An OPEN breaker whose wait is over moves to
    /// HALF_OPEN here (unless it does so by itself); a refused call is counted.
    public mutating func tryAcquire(now: SimTime) -> Bool {
        switch state {
        case .closed, .disabled, .metricsOnly: return true
        case .forcedOpen: notPermitted += 1; return false
        case .open:
            if !config.automaticHalfOpen, now >= openedAt + config.waitInOpen {
                move(to: .halfOpen, at: now, "the \(SimDuration.format(config.waitInOpen)) wait in open is over and a call arrived")
                return tryAcquire(now: now)
            }
            notPermitted += 1
            return false
        case .halfOpen:
            guard admitted < config.halfOpenCalls else { notPermitted += 1; return false }
            admitted += 1
            return true
        }
    }

    /// When an automatic breaker leaves OPEN (nil when it does not by itself).
    @inline(__always) public var automaticWakeAt: SimTime? {
        state == .open && config.automaticHalfOpen ? openedAt + config.waitInOpen : nil
    }

    /// The automatic OPEN → HALF_OPEN move, when its time has come.
    public mutating func tick(now: SimTime) {
        if let t = automaticWakeAt, now >= t {
            move(to: .halfOpen, at: now, "the \(SimDuration.format(config.waitInOpen)) wait in open is over (automatic)")
        }
    }

    // MARK: Recording

    /// Records a call admitted by `tryAcquire` that ended after `duration`.
    public mutating func record(failed: Bool, duration: SimTime, now: SimTime) {
        let slow = duration > config.slowCall
        let mark: Mark = failed ? (slow ? .slowFailed : .failed) : (slow ? .slow : .ok)
        switch state {
        case .disabled, .open, .forcedOpen: return
        case .closed, .metricsOnly, .halfOpen: break
        }
        recent.append(mark)
        // Trimmed in batches: dropping one from the front on every call shifted the whole
        // window each time.
        let keep = min(windowSlots, 1_000)
        if recent.count > 2 * keep + 32 { recent.removeFirst(recent.count - keep) }
        window.add(mark, at: now)
        switch state {
        case .closed:
            if let why = tripReason(now: now) { open(at: now, why) }
        case .halfOpen:
            guard window.calls(now: now) >= config.halfOpenCalls else { return }
            if let why = tripReason(now: now) { open(at: now, "trial calls: " + why) }
            else {
                let (f, s) = rates(now: now)
                move(to: .closed, at: now, "\(config.halfOpenCalls) trial calls: failure rate \(f!)% < \(config.failureThreshold)%" +
                     (config.slowThreshold < 100 || s! > 0 ? ", slow-call rate \(s!)% < \(config.slowThreshold)%" : ""))
            }
        default: break
        }
    }

    /// The failure and slow-call rates in percent (rounded down), or nil while the window holds
    /// fewer calls than the minimum (Resilience4j reports -1 then).
    @inline(__always) public func rates(now: SimTime) -> (failure: Int?, slow: Int?) {
        let n = window.calls(now: now)
        guard n >= max(1, windowNeeded) else { return (nil, nil) }
        return (window.failed(now: now) * 100 / n, window.slow(now: now) * 100 / n)
    }

    /// Calls in the window, failed ones and slow ones.
    public func counts(now: SimTime) -> (calls: Int, failed: Int, slow: Int) {
        (window.calls(now: now), window.failed(now: now), window.slow(now: now))
    }

    /// Inlined, as `rates` is: called on the breaker's own value from `record`, a call the
    /// optimiser did not inline copied the whole breaker first, three times per recorded call.
    @inline(__always) func tripReason(now: SimTime) -> String? {
        let n = window.calls(now: now)
        let (f, s) = rates(now: now)
        guard let f, let s else { return nil }
        if f >= config.failureThreshold {
            return "\(window.failed(now: now)) of \(n) calls failed: \(f)% ≥ \(config.failureThreshold)%"
        }
        if s >= config.slowThreshold {
            return "\(window.slow(now: now)) of \(n) calls slower than \(SimDuration.format(config.slowCall)): \(s)% ≥ \(config.slowThreshold)%"
        }
        return nil
    }

    // MARK: Moving

    /// Forced moves a lesson or an operator makes (`forced-open`, `disabled`, `metrics-only`,
    /// back to `closed`), each starting with an empty window as Resilience4j's do.
    public mutating func force(_ s: State, at now: SimTime, _ why: String) {
        if s == .open { open(at: now, why) } else { move(to: s, at: now, why) }
    }

    /// A new configuration: the window starts again (its shape may have changed).
    public mutating func reconfigure(_ c: BreakerConfig) {
        config = c
        recent = []
        window = Window(state == .halfOpen ? .count(c.halfOpenCalls) : c.window)
        windowNeeded = state == .halfOpen ? c.halfOpenCalls : c.callsNeeded
    }

    mutating func open(at now: SimTime, _ why: String) {
        openedAt = now
        move(to: .open, at: now, why)
    }

    mutating func move(to s: State, at now: SimTime, _ why: String) {
        transitions.append(Transition(from: state, to: s, at: now, reason: why))
        moves += 1
        if transitions.count > 16 { transitions.removeFirst() }
        state = s
        admitted = 0
        // Resilience4j's OPEN keeps the metrics that tripped it (they are what one inspects);
        // every other state starts with an empty window.
        guard s != .open else { return }
        recent = []
        window = Window(s == .halfOpen ? .count(config.halfOpenCalls) : config.window)
        windowNeeded = s == .halfOpen ? config.halfOpenCalls : config.callsNeeded
    }

    public var lastTransition: Transition? { transitions.last }
}

extension CircuitBreaker {
    /// The sliding window: a ring of the last N outcomes, or N one-second buckets.
    struct Window: Sendable, Equatable {
        var size: Int
        var byTime: Bool
        var marks: [UInt8] = []        // count: a ring of outcomes
        var next = 0
        var seconds: RecentSeconds?    // time: calls, failed, slow per second
        var total = 0, failedTotal = 0, slowTotal = 0

        init(_ w: BreakerConfig.Window) {
            switch w {
            case .count(let n): size = max(1, n); byTime = false
            case .time(let s):
                size = max(1, s); byTime = true
                seconds = RecentSeconds(seconds: size, fields: 3)
            }
        }

        mutating func add(_ m: Mark, at now: SimTime) {
            if byTime {
                seconds!.add(0, at: now)
                if m.failed { seconds!.add(1, at: now) }
                if m.slow { seconds!.add(2, at: now) }
                return
            }
            if marks.count < size { marks.append(m.rawValue) } else {
                let old = Mark(rawValue: marks[next])!
                total -= 1
                if old.failed { failedTotal -= 1 }
                if old.slow { slowTotal -= 1 }
                marks[next] = m.rawValue
                next = (next + 1) % size
            }
            total += 1
            if m.failed { failedTotal += 1 }
            if m.slow { slowTotal += 1 }
        }

        @inline(__always) func calls(now: SimTime) -> Int { seconds?.sum(0, now: now) ?? total }
        @inline(__always) func failed(now: SimTime) -> Int { seconds?.sum(1, now: now) ?? failedTotal }
        @inline(__always) func slow(now: SimTime) -> Int { seconds?.sum(2, now: now) ?? slowTotal }
    }
}
