import DequeModule

public typealias NodeID = Int

/// Nodes are numbered from 0 inside the code and shown as n1…nN everywhere a person looks.
public func nodeName(_ id: NodeID) -> String { "n\(id + 1)" }

/// One thing that happened, as text. The journal is what the event log shows and what
/// determinism tests compare byte for byte, so every entry renders to one stable line.
public struct JournalEntry: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case send, deliver, drop, timer, state, fault, client, command, expect, note
    }
    public var time: SimTime
    public var kind: Kind
    public var node: NodeID?
    public var peer: NodeID?
    public var text: String

    public init(time: SimTime, kind: Kind, node: NodeID? = nil, peer: NodeID? = nil, text: String) {
        self.time = time; self.kind = kind; self.node = node; self.peer = peer; self.text = text
    }

    /// "who" part: "n3", "n3→n1" (or "n3->n1" in ASCII).
    public func actors(arrow: String = "→") -> String {
        switch (node, peer) {
        case let (n?, p?): return nodeName(n) + arrow + nodeName(p)
        case let (n?, nil): return nodeName(n)
        default: return ""
        }
    }

    /// One line: time right-aligned in `stampWidth`, kind, who, text. Columns widen for long
    /// values (n10→n12) rather than cutting them.
    public func line(arrow: String = "→", stampWidth: Int = 12, actorWidth: Int = 7, text: String? = nil) -> String {
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        let stamp = String(Duration.stamp(time).drop { $0 == " " })
        return String(repeating: " ", count: max(0, stampWidth - stamp.count)) + stamp
            + " " + pad(kind.rawValue, 7) + " " + pad(actors(arrow: arrow), actorWidth) + " " + (text ?? self.text)
    }
}

/// What the journal stores: the message itself rather than its text. Formatting a line costs far
/// more than simulating the event, and almost no line is ever read, so text is made on demand.
public struct JournalRecord<Message: Sendable & CustomStringConvertible>: Sendable {
    public enum Detail: Sendable {
        case message(Message, Note)
        case text(String)
    }
    /// Why a message line carries a suffix.
    public enum Note: Sendable { case none, duplicate, lost, partition, down }

    public var time: SimTime
    public var kind: JournalEntry.Kind
    public var node: NodeID?
    public var peer: NodeID?
    public var detail: Detail

    public var entry: JournalEntry {
        let text: String
        switch detail {
        case .text(let t): text = t
        case let .message(m, note):
            switch note {
            case .none: text = "\(m)"
            case .duplicate: text = "\(m) (duplicate)"
            case .lost: text = "\(m) [lost]"
            case .partition: text = "\(m) [partition]"
            case .down: text = "\(m) [\(peer.map(nodeName) ?? "?") is down]"
            }
        }
        return JournalEntry(time: time, kind: kind, node: node, peer: peer, text: text)
    }
}

/// An append-only log with an optional capacity: a long interactive session keeps only the newest
/// entries (so memory does not grow), while `check` and tests keep everything.
public struct Journal<Message: Sendable & CustomStringConvertible>: Sendable {
    public private(set) var records: Deque<JournalRecord<Message>> = []
    /// How many entries were ever appended, including those let go because of `capacity`.
    public private(set) var count = 0
    public var capacity: Int?

    public init(capacity: Int? = nil) { self.capacity = capacity }

    /// The absolute index of the oldest record kept.
    public var firstIndex: Int { count - records.count }

    public mutating func append(_ r: JournalRecord<Message>) {
        records.append(r)
        count += 1
        if let cap = capacity, records.count > cap {
            records.removeFirst(records.count - cap)
        }
    }

    public mutating func append(time: SimTime, kind: JournalEntry.Kind, node: NodeID? = nil, peer: NodeID? = nil, text: String) {
        append(JournalRecord(time: time, kind: kind, node: node, peer: peer, detail: .text(text)))
    }

    /// Forget everything after the first `total` entries (used when stepping back).
    public mutating func truncate(toCount total: Int) {
        let first = firstIndex
        let keep = max(0, total - first)
        if keep < records.count { records.removeLast(records.count - keep) }
        count = first + records.count
    }

    /// Every kept entry as text (tests and exports; the player reads only the `suffix`).
    public var entries: [JournalEntry] { records.map(\.entry) }

    public func suffix(_ n: Int) -> [JournalEntry] { records.suffix(n).map(\.entry) }

    public func text(arrow: String = "→") -> String {
        records.map { $0.entry.line(arrow: arrow) + "\n" }.joined()
    }
}
