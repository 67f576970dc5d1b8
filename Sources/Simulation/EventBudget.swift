import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A cap on the events any one cluster may process, for the work done on this thread inside
/// `limit`. A lesson's `experiment` block is someone else's code running in the player and in
/// `check`: its trials build their own clusters, out of reach of any argument, so the cap
/// travels with the thread (each trial runs on one) and every cluster made there reads it once.
/// A cluster that reaches it stops stepping, as if time had run out, and says so here; the
/// caller then refuses the whole run. The count of events is the same on every machine, so the
/// refusal is too.
public enum EventBudget {
    /// Runs `body` with each cluster it creates capped at `events` events. Returns its result
    /// and whether any of those clusters reached the cap (then the result means nothing).
    /// With `stop`, a cluster also stops within a few thousand events of the signal being
    /// raised, as if it had reached the cap: a player leaving a step stops a trial that would
    /// otherwise run on for seconds.
    public static func limit<T>(_ events: Int, stop: StopSignal? = nil, _ body: () -> T) -> (result: T, exceeded: Bool) {
        let outer = pthread_getspecific(capKey), outerFlag = pthread_getspecific(exceededKey), outerStop = pthread_getspecific(stopKey)
        pthread_setspecific(capKey, UnsafeRawPointer(bitPattern: max(1, events)))
        pthread_setspecific(exceededKey, nil)
        pthread_setspecific(stopKey, stop.map { UnsafeRawPointer(Unmanaged.passUnretained($0).toOpaque()) })
        let r = withExtendedLifetime(stop) { body() }
        let exceeded = pthread_getspecific(exceededKey) != nil
        pthread_setspecific(capKey, outer)
        pthread_setspecific(exceededKey, outerFlag)
        pthread_setspecific(stopKey, outerStop)
        return (r, exceeded)
    }

    /// The stop signal for a cluster made now on this thread (none outside `limit`).
    static var currentStop: StopSignal? {
        guard let p = pthread_getspecific(stopKey) else { return nil }
        return Unmanaged<StopSignal>.fromOpaque(p).takeUnretainedValue()
    }

    /// The cap for a cluster made now on this thread (no cap outside `limit`).
    static var current: Int {
        guard let p = pthread_getspecific(capKey) else { return .max }
        return Int(bitPattern: p)
    }

    static func markExceeded() { pthread_setspecific(exceededKey, UnsafeRawPointer(bitPattern: 1)) }

    private static let capKey = newKey()
    private static let exceededKey = newKey()
    private static let stopKey = newKey()
    private static func newKey() -> pthread_key_t {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }
}

/// Raised once, from any thread, to stop the clusters an `EventBudget.limit` made with it.
public final class StopSignal: Sendable {
    private let raised = Atomic<Bool>(false)
    public init() {}
    public func raise() { raised.store(true, ordering: .relaxed) }
    public var isRaised: Bool { raised.load(ordering: .relaxed) }
}
