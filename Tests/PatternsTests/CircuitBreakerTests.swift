import Testing
@testable import Patterns
import Simulation

/// The breaker against Resilience4j's documented semantics, fed sequences of outcomes directly.
@Suite struct CircuitBreakerTests {
    static func breaker(window: BreakerConfig.Window = .count(10), min: Int = 10, _ change: (inout BreakerConfig) -> Void = { _ in }) -> CircuitBreaker {
        var c = BreakerConfig()
        c.window = window; c.minimumCalls = min
        c.waitInOpen = 5_000_000; c.halfOpenCalls = 3
        change(&c)
        return CircuitBreaker(c)
    }

    /// Records `failures` failed calls and `successes` good ones, each 10 ms, from `at`.
    static func feed(_ b: inout CircuitBreaker, failures: Int, successes: Int, at start: SimTime = 0, duration: SimTime = 10_000) {
        var t = start
        for k in 0..<(failures + successes) {
            do { let ok = b.tryAcquire(now: t); #expect(ok) }
            b.record(failed: k < failures, duration: duration, now: t)
            t += 1_000
        }
    }

    @Test func resilience4jDefaultsAreTheLibrarys() {
        let d = BreakerConfig()
        #expect(d.failureThreshold == 50 && d.slowThreshold == 100 && d.slowCall == 60_000_000 && d.halfOpenCalls == 10)
        #expect(d.window == .count(100) && d.minimumCalls == 100 && d.waitInOpen == 60_000_000 && !d.automaticHalfOpen)
    }

    @Test func noRateBelowTheMinimumNumberOfCalls() {
        var b = Self.breaker()
        Self.feed(&b, failures: 9, successes: 0)
        // Nine failures of nine: 100 %, but nine is below the minimum of ten.
        #expect(b.state == .closed)
        #expect(b.rates(now: 9_000).failure == nil)
    }

    @Test func fourFailuresOfTenKeepItClosedAndFiveOpenIt() {
        var four = Self.breaker()
        Self.feed(&four, failures: 4, successes: 6)
        #expect(four.state == .closed && four.rates(now: 10_000).failure == 40)
        var five = Self.breaker()
        Self.feed(&five, failures: 5, successes: 5)
        #expect(five.state == .open)
        #expect(five.lastTransition?.reason == "5 of 10 calls failed: 50% ≥ 50%")
        // Open: calls are refused and counted, not recorded.
        let refused = !five.tryAcquire(now: 20_000)
        #expect(refused && five.notPermitted == 1)
    }

    @Test func theMinimumIsCappedAtACountWindowsSize() {
        var b = Self.breaker(window: .count(10), min: 100)
        Self.feed(&b, failures: 10, successes: 0)
        #expect(b.state == .open)
    }

    @Test func slowCallsCountTowardTheirOwnRate() {
        var b = Self.breaker { $0.slowCall = 1_000_000; $0.slowThreshold = 60 }
        // Every call succeeds, six of ten take 2 s.
        for k in 0..<10 {
            do { let ok = b.tryAcquire(now: SimTime(k)); #expect(ok) }
            b.record(failed: false, duration: k < 6 ? 2_000_000 : 10_000, now: SimTime(k))
        }
        #expect(b.state == .open)
        #expect(b.lastTransition?.reason.contains("6 of 10 calls slower than 1.000s: 60% ≥ 60%") == true, "\(b.lastTransition?.reason ?? "")")
        // OPEN keeps the window that tripped it, as Resilience4j's OpenState keeps its metrics.
        let kept = b.rates(now: 10)
        #expect(kept.failure == 0 && kept.slow == 60)
    }

    @Test func halfOpenAdmitsExactlyThePermittedCallsAndDecidesByTheThresholds() {
        var b = Self.breaker()
        Self.feed(&b, failures: 10, successes: 0)
        #expect(b.state == .open)
        do { let ok = b.tryAcquire(now: 4_999_999 + 9_000); #expect(!ok) }
        // After the wait, the first call moves it to half-open (no automatic move by default).
        let t: SimTime = 5_009_000
        let first = b.tryAcquire(now: t)
        #expect(first && b.state == .halfOpen)
        let two = b.tryAcquire(now: t) && b.tryAcquire(now: t)
        #expect(two)
        do { let ok = b.tryAcquire(now: t); #expect(!ok, "a fourth trial call is refused") }
        b.record(failed: false, duration: 1, now: t)
        b.record(failed: true, duration: 1, now: t)
        #expect(b.state == .halfOpen, "undecided until all three trial calls are back")
        b.record(failed: false, duration: 1, now: t)
        // 1 of 3 failed: 33 % < 50 %: closed.
        #expect(b.state == .closed)
        #expect(b.rates(now: t).failure == nil && b.recent.isEmpty, "closed starts with an empty window")

        var again = Self.breaker()
        Self.feed(&again, failures: 10, successes: 0)
        for _ in 0..<3 { do { let ok = again.tryAcquire(now: t); #expect(ok) } }
        for k in 0..<3 { again.record(failed: k < 2, duration: 1, now: t) }
        #expect(again.state == .open && again.lastTransition?.reason.hasPrefix("trial calls: 2 of 3 calls failed") == true)
    }

    @Test func automaticHalfOpenMovesWithoutACall() {
        var b = Self.breaker { $0.automaticHalfOpen = true }
        Self.feed(&b, failures: 10, successes: 0)
        #expect(b.automaticWakeAt == SimTime(5_009_000))
        b.tick(now: 5_008_999)
        #expect(b.state == .open)
        b.tick(now: 5_009_000)
        #expect(b.state == .halfOpen)
    }

    @Test func aTimeBasedWindowForgetsOldCalls() {
        var b = Self.breaker(window: .time(seconds: 10), min: 5) { $0.failureThreshold = 50 }
        // Four failures at t = 0 s, then six successes at 11 s: the failures have left the window.
        Self.feed(&b, failures: 4, successes: 0, at: 0)
        Self.feed(&b, failures: 0, successes: 6, at: 11_000_000)
        #expect(b.counts(now: 11_010_000).calls == 6 && b.counts(now: 11_010_000).failed == 0)
        // The same failures inside ten seconds trip it as soon as five calls are in (4 of 5).
        var c = Self.breaker(window: .time(seconds: 10), min: 5)
        Self.feed(&c, failures: 4, successes: 0, at: 0)
        Self.feed(&c, failures: 0, successes: 1, at: 5_000_000)
        #expect(c.state == .open)
    }

    @Test func specialStates() {
        var disabled = Self.breaker()
        disabled.force(.disabled, at: 0, "test")
        Self.feed(&disabled, failures: 20, successes: 0)
        #expect(disabled.state == .disabled && disabled.counts(now: 0).calls == 0)

        var metrics = Self.breaker()
        metrics.force(.metricsOnly, at: 0, "test")
        Self.feed(&metrics, failures: 20, successes: 0)
        #expect(metrics.state == .metricsOnly && metrics.rates(now: 20_000).failure == 100, "measures, never trips")

        var forced = Self.breaker()
        forced.force(.forcedOpen, at: 0, "test")
        let admitted = forced.tryAcquire(now: 100_000_000)
        #expect(!admitted && forced.state == .forcedOpen)
    }

    @Test func backoffsFollowBrooker() {
        var p = RetryPolicy()
        p.backoff = .exponential(base: 100_000, cap: 1_000_000)
        #expect((1...6).map { p.delay(retry: $0, previous: 0) { $0.upperBound } } == [100_000, 200_000, 400_000, 800_000, 1_000_000, 1_000_000])
        p.jitter = .full
        #expect(p.delay(retry: 3, previous: 0) { $0.lowerBound } == 0 && p.delay(retry: 3, previous: 0) { $0.upperBound } == 400_000)
        p.jitter = .equal
        #expect(p.delay(retry: 3, previous: 0) { $0.lowerBound } == 200_000)
        p.jitter = .decorrelated
        #expect(p.delay(retry: 3, previous: 300_000) { $0.upperBound } == 900_000)
        #expect(p.delay(retry: 3, previous: 500_000) { $0.upperBound } == 1_000_000, "capped")
        #expect(p.delay(retry: 60, previous: 0) { $0.lowerBound } == 100_000, "a huge attempt number does not overflow")
    }
}
