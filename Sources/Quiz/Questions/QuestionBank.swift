import Simulation

/// Everything the quiz can ask, as items: each item is one fact or one kind of problem, has a
/// spaced-repetition record of its own, and makes a fresh question when drawn.
public struct QuizItem: Sendable {
    public var key: String
    public var topic: Question.Topic
    public var title: String
    public var make: @Sendable (inout SplitMix64) -> Question
}

public enum QuestionBank {
    public static func items(topics: Set<Question.Topic>, era: Era) -> [QuizItem] {
        var out: [QuizItem] = []
        if topics.contains(.latency) { out += latency(era) }
        if topics.contains(.units) { out += units() }
        if topics.contains(.sizes) { out += sizes() }
        if topics.contains(.estimate) { out += estimates() }
        return out
    }

    // MARK: Latency

    static func eraNote(_ f: LatencyFact, _ era: Era) -> [String] {
        let other: Era = era == .y2012 ? .y2020 : .y2012
        guard let o = f.value(other) else { return f.whyErasDiffer.map { ["\(f.name): the \(other.rawValue) list has no comparable figure. " + $0] } ?? [] }
        if o == f.value(era) { return ["\(f.name): both lists agree (\(Format.time(o)))."] }
        return ["\(f.name): the \(other.rawValue) list says \(Format.time(o)). " + (f.whyErasDiffer ?? "")]
    }

    static func latency(_ era: Era) -> [QuizItem] {
        let facts = LatencyFacts.usable(in: era)
        var items: [QuizItem] = facts.map { f in
            let v = f.value(era)!
            return QuizItem(key: "latency:\(f.id)@\(era.rawValue)", topic: .latency, title: "\(f.name) (\(era.rawValue))") { _ in
                Question(item: "latency:\(f.id)@\(era.rawValue)", topic: .latency,
                         prompt: ["[\(era.source)]", "How long does it take to \(f.action)?"],
                         expected: .quantity(v, .time),
                         explanation: ["\(f.name): \(Format.time(v)) (\(era.rawValue) list)."] + eraNote(f, era),
                         title: "\(f.name) (\(era.rawValue))")
            }
        }
        // Compare: pairs at least 10× apart, so the answer is a real ratio, not a rounding artefact.
        let pairs: [(String, String)] = [("memory", "rtt"), ("l1", "memory"), ("mutex", "memory"), ("ssd4k", "rtt"),
                                         ("rtt", "wan"), ("compress", "rtt"), ("ssd1mb", "disk1mb"), ("memory", "ssd4k"),
                                         ("mem1mb", "disk1mb"), ("rtt", "seek")]
        for (a, b) in pairs {
            guard let fa = LatencyFacts.fact(a), let fb = LatencyFacts.fact(b), let va = fa.value(era), let vb = fb.value(era), vb / va >= 10 else { continue }
            let key = "compare:\(a)/\(b)@\(era.rawValue)"
            let title = "\(fb.name) ÷ \(fa.name) (\(era.rawValue))"
            items.append(QuizItem(key: key, topic: .latency, title: title) { _ in
                Question(item: key, topic: .latency,
                         prompt: ["[\(era.source)]", "About how many times could you \(fa.action) in the time it takes to \(fb.action)?"],
                         expected: .quantity(vb / va, .count),
                         explanation: ["\(Format.time(vb)) ÷ \(Format.time(va)) ≈ \(Format.count((vb / va).rounded()))."]
                            + eraNote(fa, era) + eraNote(fb, era),
                         // A ratio of two estimates is an estimate: "about how many times" is
                         // judged within 2x, even when the ratio happens to be a small whole number.
                         title: title, judging: .factor(2))
            })
        }
        let orderKey = "order@\(era.rawValue)"
        items.append(QuizItem(key: orderKey, topic: .latency, title: "ordering the ladder (\(era.rawValue))") { rng in
            orderQuestion(era, &rng, key: orderKey)
        })
        return items
    }

    static func orderQuestion(_ era: Era, _ rng: inout SplitMix64, key: String) -> Question {
        // Five facts whose values are at least 1.5× apart, so "the right order" is not arguable.
        var pool = LatencyFacts.usable(in: era)
        var chosen: [LatencyFact] = []
        while chosen.count < 5 && !pool.isEmpty {
            let f = pool.remove(at: Int(rng.next(below: UInt64(pool.count))))
            let v = f.value(era)!
            if chosen.allSatisfy({ let w = $0.value(era)!; return max(v, w) / min(v, w) >= 1.5 }) { chosen.append(f) }
        }
        let letters = Array("abcde")
        let labelled = Array(zip(letters, chosen))
        let fastest = labelled.sorted { $0.1.value(era)! < $1.1.value(era)! }
        let answer = String(fastest.map(\.0))
        return Question(item: key, topic: .latency,
                        prompt: ["[\(era.source)]", "Put these from fastest to slowest (type the letters, e.g. 'cabed'):"]
                            + labelled.map { "  \($0.0)) \($0.1.name)" },
                        expected: .order(answer),
                        explanation: ["Fastest to slowest: " + fastest.map { "\($0.0) \($0.1.name) (\(Format.time($0.1.value(era)!)))" }.joined(separator: ", ") + "."],
                        title: "ordering the ladder (\(era.rawValue))")
    }

    // MARK: Units and sizes

    /// `exact`: a fact with one right value (8 bytes, not "within 2×" of it), whose question
    /// names the unit, so a bare number is read in it.
    static func fixed(_ key: String, _ topic: Question.Topic, _ title: String, _ prompt: String, _ value: Double, _ d: Dimension,
                      exact: Bool = false, _ why: String) -> QuizItem {
        QuizItem(key: key, topic: topic, title: title) { _ in
            Question(item: key, topic: topic, prompt: [prompt], expected: .quantity(value, d), explanation: [why], title: title,
                     judging: exact ? .exact : nil, unitImplied: exact)
        }
    }

    static func units() -> [QuizItem] {
        var items = [
            fixed("units:seconds-day", .units, "seconds in a day", "About how many seconds are in a day?", 86_400, .count,
                  "24 × 60 × 60 = 86,400 ≈ 10^5. Dividing by 10^5 is the usual shortcut for per-day → per-second."),
            fixed("units:seconds-year", .units, "seconds in a year", "About how many seconds are in a year?", 31_536_000, .count,
                  "365 × 86,400 = 31,536,000 ≈ 3×10^7 (π×10^7 is a famous mnemonic)."),
            fixed("units:seconds-month", .units, "seconds in a month", "About how many seconds are in a 30-day month?", 2_592_000, .count,
                  "30 × 86,400 = 2,592,000 ≈ 2.5×10^6."),
        ]
        items.append(QuizItem(key: "units:bytes", topic: .units, title: "converting KB/MB/GB/TB") { rng in
            let names = [("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("PB", 1e15)]
            let i = Int(rng.next(below: 4))
            let j = i + 1 + Int(rng.next(below: UInt64(names.count - i - 1)))
            let k = Double(1 + rng.next(below: 9))
            let ratio = names[j].1 / names[i].1
            return Question(item: "units:bytes", topic: .units,
                            prompt: ["How many \(names[i].0) are in \(Format.number(k)) \(names[j].0)? (decimal units)"],
                            expected: .quantity(k * ratio, .count),
                            explanation: ["1 \(names[j].0) = \(Format.scientific(ratio)) \(names[i].0), so \(Format.number(k)) \(names[j].0) = \(Format.count(k * ratio)) \(names[i].0).",
                                          "Binary units differ by about 2.4% per step (1 KiB = 1,024 bytes); fine for estimates."],
                            title: "converting KB/MB/GB/TB", judging: .exact)
        })
        return items
    }

    static func sizes() -> [QuizItem] {
        var items = [
            fixed("sizes:uuid", .sizes, "size of a UUID", "How many bytes does a UUID take (binary, not text)?", 16, .bytes, exact: true,
                  "128 bits = 16 bytes (36 characters as text)."),
            fixed("sizes:timestamp", .sizes, "size of a 64-bit timestamp", "How many bytes is a 64-bit timestamp?", 8, .bytes, exact: true, "64 bits = 8 bytes."),
            fixed("sizes:ascii", .sizes, "size of an ASCII character", "How many bytes does one ASCII character take?", 1, .bytes, exact: true, "ASCII fits in 7 bits; one byte each."),
            fixed("sizes:utf8", .sizes, "largest UTF-8 character", "At most how many bytes does one character take in UTF-8?", 4, .bytes, exact: true,
                  "UTF-8 uses 1 to 4 bytes; ASCII characters take 1."),
        ]
        items.append(QuizItem(key: "sizes:many-uuids", topic: .sizes, title: "storing many UUIDs") { rng in
            let n = [1e6, 10e6, 100e6, 1e9][Int(rng.next(below: 4))]
            return Question(item: "sizes:many-uuids", topic: .sizes,
                            prompt: ["About how much space do \(Format.count(n)) UUIDs take, stored as 16-byte binary values?"],
                            expected: .quantity(n * 16, .bytes),
                            explanation: ["\(Format.count(n)) × 16 bytes = \(Format.bytes(n * 16))."], title: "storing many UUIDs")
        })
        return items
    }

    // MARK: Estimates

    static func estimates() -> [QuizItem] {
        EstimateProblem.Kind.allCases.map { kind in
            let key = "estimate:\(kind.rawValue)"
            let title: String = switch kind {
            case .averageQPS: "average QPS from daily users"
            case .peakQPS: "peak QPS"
            case .storage: "storage per year"
            case .bandwidth: "bandwidth"
            case .cache: "cache memory for the hot 20%"
            }
            return QuizItem(key: key, topic: .estimate, title: title) { rng in
                let p = EstimateProblem.make(kind, &rng)
                return Question(item: key, topic: .estimate, prompt: p.prompt, expected: .quantity(p.exact, p.dimension),
                                explanation: ["Worked solution:"] + p.steps.map { "  " + $0 }, title: title)
            }
        }
    }
}
