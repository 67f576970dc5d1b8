import Testing
@testable import Quiz

@Suite struct AnswerParserTests {
    static let readable: [(String, Dimension, Double)] = [
        ("150us", .time, 150e-6), ("150 µs", .time, 150e-6), ("150 μs", .time, 150e-6), ("0.15ms", .time, 150e-6),
        ("1.5e-4 s", .time, 150e-6), ("1.5E-4s", .time, 150e-6), ("2 min", .time, 120), ("500 ns", .time, 500e-9),
        ("~10 ms", .time, 0.01), ("3 seconds", .time, 3),
        ("2 KB", .bytes, 2e3), ("2kb", .bytes, 2e3), ("1.5 GB", .bytes, 1.5e9), ("16 bytes", .bytes, 16), ("3x10^9 B", .bytes, 3e9), ("1 KiB", .bytes, 1_024), ("20 TB", .bytes, 20e12),
        ("3x10^7", .count, 3e7), ("3 × 10^7", .count, 3e7), ("3*10^7", .count, 3e7), ("12k", .count, 12e3), ("1.2M", .count, 1.2e6),
        ("~10^5", .count, 1e5), ("10^5", .count, 1e5), ("1,000", .count, 1_000), ("2.5e4", .count, 25_000), ("5000", .count, 5_000),
        ("about 2 billion", .count, 2e9), ("300 QPS", .count, 300),
        ("40 MB/s", .bandwidth, 40e6), ("320 Mbps", .bandwidth, 40e6), ("1.2 GB/s", .bandwidth, 1.2e9), ("8 Gbps", .bandwidth, 1e9),
    ]

    @Test(arguments: readable)
    func reads(_ text: String, _ d: Dimension, _ value: Double) throws {
        let v = try AnswerParser.parse(text, as: d).get()
        #expect(abs(v - value) <= value * 1e-9, "\(text) → \(v)")
    }

    static let unreadable: [(String, Dimension, String)] = [
        ("", .time, "type an answer"), ("fast", .time, "not a number"), ("150", .time, "add a unit"),
        ("150 parsecs", .time, "not a unit I know"), ("2 KB", .count, "not a unit I know"), ("12 ms", .bytes, "not a unit I know"),
        ("x10^5", .count, "not a number"), ("3x10^", .count, "not a number"), ("40 MB", .bandwidth, "add /s (40 MB/s)"),
        ("1e999", .count, "too large"),
        // A size without its unit is not bytes by default (a year's storage typed as "100").
        ("16", .bytes, "add a unit"), ("3x10^9", .bytes, "add a unit"),
        ("-5 ms", .time, "cannot be negative"), ("-2 KB", .bytes, "cannot be negative"), ("-3", .count, "cannot be negative"),
        // A decimal comma was read as a thousands separator: "8,0" became 80.
        ("8,0", .count, "a comma only groups thousands"), ("1,0", .count, "write decimals with a point"), ("12,34 ms", .time, "a comma only"),
        ("10^-400", .count, "too small to tell from zero"),
    ]

    @Test func aQuestionThatNamesTheUnitTakesABareNumber() throws {
        #expect(try AnswerParser.parse("16", as: .bytes, unitImplied: true).get() == 16)
    }

    @Test(arguments: unreadable)
    func refusesWithAHint(_ text: String, _ d: Dimension, _ fragment: String) {
        guard case .failure(let p) = AnswerParser.parse(text, as: d) else { Issue.record("'\(text)' was accepted"); return }
        #expect(p.message.contains(fragment), "\(p.message)")
        #expect(p.message.contains("accepted forms"))
    }

    @Test func thousandsStillTakeCommasAndTinyAnswersAreFarTooLow() throws {
        #expect(try AnswerParser.parse("1,000,000", as: .count).get() == 1_000_000)
        #expect(try AnswerParser.parse("12,345.5 ms", as: .time).get() == 12.3455)
        #expect(Score(answer: Double.leastNonzeroMagnitude, truth: 80).verdict == "more than a trillion times too low")
    }

    @Test func gradesByFactor() {
        #expect(Score(answer: 150e-6, truth: 150e-6).grade == .right)
        #expect(Score(answer: 290e-6, truth: 150e-6).grade == .right)
        #expect(Score(answer: 80e-6, truth: 150e-6).grade == .right)
        #expect(Score(answer: 1e-3, truth: 150e-6).grade == .close)
        #expect(Score(answer: 16e-6, truth: 150e-6).grade == .close)
        #expect(Score(answer: 10e-3, truth: 150e-6).grade == .wrong)
        #expect(Score(answer: 0, truth: 150e-6).grade == .wrong)
        #expect(Score(answer: 450e-6, truth: 150e-6).verdict == "3× too high")
        #expect(Score(answer: 15e-6, truth: 150e-6).verdict == "10× too low")
    }

    @Test func ordersAreMarkedExactlyOrOneSwapAway() throws {
        let q = Question(item: "o", topic: .latency, prompt: [], expected: .order("cabed"), explanation: [], title: "o")
        #expect(try q.mark("cabed").get().grade == .right)
        #expect(try q.mark("C A B E D").get().grade == .right)
        #expect(try q.mark("acbed").get().grade == .close)
        #expect(try q.mark("debac").get().grade == .wrong)
        guard case .failure = q.mark("cab") else { Issue.record("a short order was accepted"); return }
    }

    @Test func formatsLikePeopleSayIt() {
        #expect(Format.time(150e-6) == "150 µs")
        #expect(Format.time(2.5e-3) == "2.5 ms")
        #expect(Format.time(0.5e-9) == "0.5 ns")
        #expect(Format.bytes(2e3) == "2 KB")
        #expect(Format.count(31_536_000) == "31,536,000 (3.15×10^7)")
        #expect(Format.scientific(1e5) == "10^5")
    }
}
