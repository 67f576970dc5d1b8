import Foundation
import Simulation

/// A run of the quiz: picks questions with spaced repetition, marks answers, keeps the score.
/// Pure: the caller stores each `AnswerRecord` (the executable writes it to the progress file)
/// and measures time.
public struct QuizSession: Sendable {
    public struct Options: Sendable {
        public var topics: Set<Question.Topic> = Set(Question.Topic.allCases)
        public var era: Era = .y2012
        public var count = 10
        public var seed: UInt64 = 1
        public init() {}
    }

    public enum Outcome: Sendable {
        /// Not an answer we can read: say why and ask again; nothing is counted.
        case unreadable(AnswerProblem)
        case marked(Marking, record: AnswerRecord, explanation: [String])
    }

    public let options: Options
    let items: [QuizItem]
    /// The progress as it was when the session began, plus this session's answers.
    public private(set) var progress: QuizProgress
    public let session: Int
    var rng: SplitMix64
    public private(set) var current: Question?
    public private(set) var asked = 0
    public private(set) var grades: [Grade] = []
    public private(set) var seconds: [Double] = []
    var recent: [String] = []
    /// Items missed this session, with the question number when they come back.
    var retries: [(key: String, at: Int)] = []

    public init(options: Options, progress: QuizProgress) {
        self.options = options
        self.progress = progress
        // Saturates: a file at the limit stays a file this program accepts.
        session = min(QuizProgress.maxCount, progress.sessions + 1)
        items = QuestionBank.items(topics: options.topics, era: options.era)
        rng = SplitMix64(seed: options.seed)
        next()
    }

    public var isFinished: Bool { current == nil }

    /// Marks `text` against the current question; moves on when it was readable.
    public mutating func answer(_ text: String, seconds elapsed: Double) -> Outcome {
        guard let q = current else { return .unreadable(AnswerProblem(message: "the quiz is over")) }
        switch q.mark(text) {
        case .failure(let p):
            return .unreadable(p)
        case .success(let m):
            grades.append(m.grade)
            seconds.append(elapsed)
            let record = AnswerRecord(item: q.item, title: q.title, grade: m.grade)
            progress.record(item: q.item, title: q.title, grade: m.grade, session: session)
            // A miss comes back sooner: the same item again three questions later.
            if m.grade != .right { retries.append((q.item, asked + 3)) }
            next()
            return .marked(m, record: record, explanation: q.explanation)
        }
    }

    /// Skips the current question without marking it.
    public mutating func skip() { next() }

    private mutating func next() {
        guard asked < options.count, !items.isEmpty else { current = nil; return }
        asked += 1
        let item: QuizItem
        if let i = retries.firstIndex(where: { $0.at <= asked }), let found = items.first(where: { $0.key == retries[i].key }) {
            retries.remove(at: i)
            item = found
        } else {
            item = choose()
        }
        recent.append(item.key)
        if recent.count > 3 { recent.removeFirst() }
        current = item.make(&rng)
    }

    /// Weighted draw: due items in low boxes weigh most; items asked in the last three
    /// questions are left out when anything else is available.
    private mutating func choose() -> QuizItem {
        let fresh = items.filter { !recent.contains($0.key) }
        let pool = fresh.isEmpty ? items : fresh
        let weights = pool.map { item -> UInt64 in
            let box = progress.box(item.key)
            let base: UInt64 = [0, 16, 8, 4, 2, 1][box]
            return progress.isDue(item.key, session: session) ? base * 4 : base
        }
        var pick = rng.next(below: weights.reduce(0, +))
        for (item, w) in zip(pool, weights) {
            if pick < w { return item }
            pick -= w
        }
        return pool[pool.count - 1]
    }

    // MARK: Summary

    public var score: (right: Int, close: Int, wrong: Int) {
        (grades.filter { $0 == .right }.count, grades.filter { $0 == .close }.count, grades.filter { $0 == .wrong }.count)
    }

    /// Longest run of right answers this session.
    public var bestStreak: Int {
        var best = 0, run = 0
        for g in grades { run = g == .right ? run + 1 : 0; best = max(best, run) }
        return best
    }

    public func summary(stored: QuizProgress) -> [String] {
        let s = score
        var lines = ["Score: \(s.right) right, \(s.close) right order of magnitude, \(s.wrong) wrong, of \(grades.count) answered."]
        lines.append("Best streak: \(bestStreak) right in a row.")
        if !seconds.isEmpty {
            let mean = seconds.reduce(0, +) / Double(seconds.count)
            func secs(_ x: Double) -> String { String(format: "%.1f s", x) }
            lines.append("Time per answer: \(secs(mean)) on average (fastest \(secs(seconds.min()!)), slowest \(secs(seconds.max()!))).")
        }
        let missed = stored.mostMissed(3)
        if !missed.isEmpty {
            lines.append("Most often missed: " + missed.map { "\(visibleControls($0.title)) (\($0.wrong)×)" }.joined(separator: ", ") + ".")
        }
        return lines
    }
}
