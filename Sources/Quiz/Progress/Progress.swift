/// What a person has learned, per item: a Leitner box and tallies. Stored as JSON between runs.
public struct QuizProgress: Codable, Sendable, Equatable {
    public struct Item: Codable, Sendable, Equatable {
        /// 1 (new or missed: asked often) … 5 (well known: asked rarely).
        public var box = 1
        public var right = 0
        public var close = 0
        public var wrong = 0
        public var title = ""
        /// The session in which it was last answered.
        public var lastSession = 0
    }

    public static let boxes = 1...5
    public var version = 1
    public var sessions = 0
    public var items: [String: Item] = [:]

    public init() {}

    /// Counters a person could reach, with room to spare: a file holding more (Int.max in a
    /// tally, box 99) was not written by this program and is treated as corrupt, not trusted.
    public static let maxCount = 100_000_000

    /// The most items a file may hold: far more than there are questions.
    public static let maxItems = 100_000

    /// Whether every number is in range, so nothing computed from them can overflow or index
    /// out of bounds.
    public var isSane: Bool { insanity == nil }

    /// What is out of range, in words (for the message that sets the file aside), or nil.
    public var insanity: String? {
        if version != 1 { return "it is not a version-1 progress file" }
        if !(0...Self.maxCount).contains(sessions) { return "its session count \(sessions) is outside 0-\(Self.maxCount)" }
        if items.count > Self.maxItems { return "it holds \(items.count) items, more than the \(Self.maxItems) a progress file may" }
        for (key, i) in items.sorted(by: { $0.key < $1.key }) {
            if !Self.boxes.contains(i.box) { return "item '\(key.prefix(40))' is in box \(i.box), outside 1-5" }
            if ![i.right, i.close, i.wrong, i.lastSession].allSatisfy({ (0...Self.maxCount).contains($0) }) {
                return "item '\(key.prefix(40))' has a counter outside 0-\(Self.maxCount)"
            }
            if i.title.count > 1_000 { return "item '\(key.prefix(40))' has a title longer than 1,000 characters" }
        }
        return nil
    }

    /// Leitner: right moves an item up a box, wrong sends it back to box 1, and an answer of the
    /// right order of magnitude moves it down one (close is not yet known).
    public mutating func record(item key: String, title: String, grade: Grade, session: Int) {
        var i = items[key] ?? Item()
        i.title = title
        i.lastSession = session
        switch grade {
        case .right: i.right += 1; i.box = min(Self.boxes.upperBound, i.box + 1)
        case .close: i.close += 1; i.box = max(Self.boxes.lowerBound, i.box - 1)
        case .wrong: i.wrong += 1; i.box = Self.boxes.lowerBound
        }
        items[key] = i
    }

    /// How many sessions an item in each box waits before it is due again.
    static let waits = [0, 0, 1, 3, 7, 15]

    public func isDue(_ key: String, session: Int) -> Bool {
        guard let i = items[key] else { return true }
        return session - i.lastSession >= Self.waits[i.box]
    }

    public func box(_ key: String) -> Int { items[key]?.box ?? 1 }

    /// Items answered wrong most often (ties: more recent first), for the end-of-quiz summary.
    public func mostMissed(_ n: Int) -> [(title: String, wrong: Int)] {
        items.values.filter { $0.wrong > 0 }
            .sorted { ($0.wrong, $0.lastSession, $0.title) > ($1.wrong, $1.lastSession, $1.title) }
            .prefix(n).map { ($0.title, $0.wrong) }
    }
}

/// One answered question, to be added to the stored progress.
public struct AnswerRecord: Sendable, Equatable {
    public var item: String
    public var title: String
    public var grade: Grade
    public init(item: String, title: String, grade: Grade) { self.item = item; self.title = title; self.grade = grade }
}
