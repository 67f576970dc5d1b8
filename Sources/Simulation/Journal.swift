import DequeModule

public typealias NodeID = Int

/// Nodes are numbered from 0 inside the code and shown as n1…nN everywhere a person looks.
public func nodeName(_ id: NodeID) -> String { "n\(id + 1)" }

/// One thing that happened. The journal is what the event log shows and what determinism tests
/// compare byte for byte, so every entry renders to one stable line of text.
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

    public func line(arrow: String = "→") -> String {
        let who = actors(arrow: arrow)
        let kind = self.kind.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        let whoCol = who.padding(toLength: 7, withPad: " ", startingAt: 0)
        return "\(Duration.stamp(time)) \(kind) \(whoCol) \(text)"
    }
}

/// An append-only log with an optional capacity: a long interactive session keeps only the newest
/// entries (so memory does not grow), while `check` and tests keep everything.
public struct Journal: Sendable {
    public private(set) var entries: Deque<JournalEntry> = []
    /// How many entries were ever appended, including those let go because of `capacity`.
    public private(set) var count = 0
    public var capacity: Int?

    public init(capacity: Int? = nil) { self.capacity = capacity }

    /// The absolute index of `entries.first`.
    public var firstIndex: Int { count - entries.count }

    public mutating func append(_ e: JournalEntry) {
        entries.append(e)
        count += 1
        if let cap = capacity, entries.count > cap {
            entries.removeFirst(entries.count - cap)
        }
    }

    /// Forget everything after the first `total` entries (used when stepping back).
    public mutating func truncate(toCount total: Int) {
        let first = firstIndex
        let keep = max(0, total - first)
        if keep < entries.count { entries.removeLast(entries.count - keep) }
        count = first + entries.count
    }

    public func suffix(_ n: Int) -> [JournalEntry] { Array(entries.suffix(n)) }

    public func text(arrow: String = "→") -> String {
        entries.map { $0.line(arrow: arrow) + "\n" }.joined()
    }
}
