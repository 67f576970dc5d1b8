import DequeModule

public typealias NodeID = Int

/// Nodes are numbered from 0 inside the code and shown as n1…nN where a pattern does not name
/// them (`Topology`).
public func nodeName(_ id: NodeID) -> String { "n\(id + 1)" }

/// One thing that happened, as text. The journal is what the event log shows and what
/// determinism tests compare byte for byte, so every entry renders to one stable line.
public struct JournalEntry: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case send, deliver, drop, timer, state, fault, client, command, expect, note
        /// A lesson's step begins: the log's reader knows what came from which step.
        case step
    }
    public var time: SimTime
    public var kind: Kind
    public var node: NodeID?
    public var peer: NodeID?
    public var text: String
    /// The cluster's node names, when they are not n1…nN.
    public var names: [String]?

    public init(time: SimTime, kind: Kind, node: NodeID? = nil, peer: NodeID? = nil, text: String, names: [String]? = nil) {
        self.time = time; self.kind = kind; self.node = node; self.peer = peer; self.text = text; self.names = names
    }

    func name(_ id: NodeID) -> String { Self.name(id, in: names) }
    static func name(_ id: NodeID, in names: [String]?) -> String {
        guard let names, id >= 0, id < names.count else { return nodeName(id) }
        return names[id]
    }

    /// "who" part: "n3", "n3→n1" (or "n3->n1" in ASCII).
    public func actors(arrow: String = "→") -> String {
        switch (node, peer) {
        case let (n?, p?): return name(n) + arrow + name(p)
        case let (n?, nil): return name(n)
        default: return ""
        }
    }

    /// One line: time right-aligned in `stampWidth`, kind, who, text. Columns widen for long
    /// values (n10→n12) rather than cutting them.
    public func line(arrow: String = "→", stampWidth: Int = 12, actorWidth: Int = 7, text: String? = nil) -> String {
        func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
        let stamp = String(SimDuration.stamp(time).drop { $0 == " " })
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
        /// A timer that fired, by its own description (made into text only if read).
        case timer(any CustomStringConvertible & Sendable, forced: Bool)
    }
    /// Why a message line carries a suffix.
    public enum Note: Sendable { case none, duplicate, lost, partition, down, inboxFull }

    public var time: SimTime
    public var kind: JournalEntry.Kind
    public var node: NodeID?
    public var peer: NodeID?
    public var detail: Detail

    public func entry(names: [String]? = nil) -> JournalEntry {
        let text: String
        switch detail {
        case .text(let t): text = t
        case let .timer(t, forced): text = forced ? "\(t) (forced)" : "\(t)"
        case let .message(m, note):
            switch note {
            case .none: text = "\(m)"
            case .duplicate: text = "\(m) (duplicate)"
            case .lost: text = "\(m) [lost]"
            case .partition: text = "\(m) [partition]"
            case .down: text = "\(m) [\(peer.map { JournalEntry.name($0, in: names) } ?? "?") is down]"
            case .inboxFull: text = "\(m) [\(peer.map { JournalEntry.name($0, in: names) } ?? "?")'s inbox is full]"
            }
        }
        return JournalEntry(time: time, kind: kind, node: node, peer: peer, text: text, names: names)
    }
}

/// An append-only log of what happened, in one of three modes, with a running digest of the
/// event stream that every mode keeps (two runs with the same digest saw the same events at the
/// same times, which is what determinism tests compare).
public struct Journal<Message: Sendable & CustomStringConvertible>: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Nothing is kept (headless runs that only check conditions): no record is even made.
        case off
        /// The newest `n` records (the player, for as long as a student likes).
        case bounded(Int)
        /// Every record (tests, exports).
        case everything
    }
    public private(set) var records: Deque<JournalRecord<Message>> = []
    /// How many entries were ever appended, including those not kept.
    public private(set) var count = 0
    public let mode: Mode
    /// Node names for the lines, when the cluster's nodes are not n1…nN.
    public var names: [String]?
    /// FNV-1a over (time, kind, node, peer) of every entry, and the text of text entries.
    public private(set) var digest: UInt64 = 0xcbf2_9ce4_8422_2325

    /// False for a run whose only output is what it measures (an experiment's trial): then not
    /// even the digest is kept, and nodes' notes are never written (`NodeIO.note`).
    public let digests: Bool

    public init(_ mode: Mode = .everything, digest: Bool = true) {
        precondition(digest || mode == .off, "a journal that keeps records keeps their digest")
        self.mode = mode; self.digests = digest
    }
    /// `capacity` nil keeps everything.
    public init(capacity: Int?) { self.init(capacity.map { .bounded($0) } ?? .everything) }

    /// Whether appended records are kept; when not, callers need not build them.
    @inline(__always) public var keeps: Bool { mode != .off }
    /// Whether a note's text is read at all (kept, or mixed into the digest).
    @inline(__always) public var readsText: Bool { digests }

    /// The absolute index of the oldest record kept.
    public var firstIndex: Int { count - records.count }

    @inline(__always) mutating func mix(_ v: UInt64) {
        digest = (digest ^ v) &* 0x100_0000_01b3
    }

    /// Counts an entry into the digest without keeping it.
    @inline(__always)
    public mutating func tally(time: SimTime, kind: JournalEntry.Kind, node: NodeID?, peer: NodeID?) {
        count += 1
        guard digests else { return }
        mix(UInt64(bitPattern: time))
        mix(UInt64(truncatingIfNeeded: (node ?? -1) &* 65_599 &+ (peer ?? -1)) &* 31 &+ UInt64(kind.code))
    }

    public mutating func append(_ r: JournalRecord<Message>) {
        tally(time: r.time, kind: r.kind, node: r.node, peer: r.peer)
        if digests, case .text(let t) = r.detail { mixText(t) }
        switch mode {
        case .off: return
        case .everything: records.append(r)
        case .bounded(let cap):
            records.append(r)
            if records.count > cap { records.removeFirst(records.count - cap) }
        }
    }

    /// A note's text into the digest, eight bytes at a time: byte by byte through `utf8` it was
    /// a twentieth of a five-server election's whole cost (900 instructions a note).
    mutating func mixText(_ text: String) {
        var t = text
        t.withUTF8 { bytes in
            var i = 0
            while i + 8 <= bytes.count {
                mix(UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self))
                i += 8
            }
            // The last 0-7 bytes, and the length in the top byte ("ab" and "ab\0" differ).
            var tail: UInt64 = 0
            while i < bytes.count { tail = tail << 8 | UInt64(bytes[i]); i += 1 }
            mix(tail | UInt64(truncatingIfNeeded: bytes.count) << 56)
        }
    }

    public mutating func append(time: SimTime, kind: JournalEntry.Kind, node: NodeID? = nil, peer: NodeID? = nil, text: String) {
        append(JournalRecord(time: time, kind: kind, node: node, peer: peer, detail: .text(text)))
    }

    /// Forget everything after the first `total` entries (used when stepping back); the digest
    /// goes back to `digest`.
    public mutating func truncate(toCount total: Int, digest d: UInt64) {
        guard total < count else { return }
        let keep = max(0, total - firstIndex)
        if keep < records.count { records.removeLast(records.count - keep) }
        count = total
        digest = d
    }

    /// Every kept entry as text (tests and exports; the player reads only the `suffix`).
    public var entries: [JournalEntry] { records.map { $0.entry(names: names) } }

    public func suffix(_ n: Int) -> [JournalEntry] { records.suffix(n).map { $0.entry(names: names) } }

    public func text(arrow: String = "→") -> String {
        records.map { $0.entry(names: names).line(arrow: arrow) + "\n" }.joined()
    }
}

extension JournalEntry.Kind {
    var code: Int {
        switch self {
        case .send: 1
        case .deliver: 2
        case .drop: 3
        case .timer: 4
        case .state: 5
        case .fault: 6
        case .client: 7
        case .command: 8
        case .expect: 9
        case .note: 10
        case .step: 11
        }
    }
}
