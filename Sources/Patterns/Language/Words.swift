import Simulation

/// Reads the arguments of one command or condition, left to right, turning each malformed
/// argument into a diagnostic that points at it.
public struct Words: Sendable {
    public let tokens: [Token]
    public private(set) var index = 0
    /// Column just past the last token, for "expected … after" messages.
    public let endColumn: Int
    /// The nodes names resolve against.
    public let topology: Topology
    /// The lesson's settings, for a query that means nothing under some of them (φ under a
    /// detector that sends no heartbeats).
    public var settings = Settings()
    public var clusterSize: Int { topology.count }

    public init(_ tokens: [Token], endColumn: Int, topology: Topology) {
        self.tokens = tokens; self.endColumn = endColumn; self.topology = topology
    }

    public init(_ tokens: [Token], endColumn: Int, clusterSize: Int) {
        self.init(tokens, endColumn: endColumn, topology: .numbered(clusterSize))
    }

    public var isAtEnd: Bool { index >= tokens.count }
    public var peek: Token? { isAtEnd ? nil : tokens[index] }
    /// The text `offset` tokens ahead of the next one (0: the next), without consuming: for
    /// phrases recognised by a later word ("n3 is …", "all informed").
    public func peekText(_ offset: Int) -> String? { index + offset < tokens.count ? tokens[index + offset].text : nil }
    public var column: Int { peek?.column ?? endColumn }

    public func error(_ message: String, at column: Int? = nil) -> Diagnostic {
        Diagnostic(line: 0, column: column ?? self.column, message)
    }

    public mutating func next(_ what: String) throws(Diagnostic) -> Token {
        guard let t = peek else { throw error("expected \(what)") }
        index += 1
        return t
    }

    /// Consumes `word` if it is next.
    public mutating func accept(_ word: String) -> Bool {
        guard let t = peek, t.text == word else { return false }
        index += 1
        return true
    }

    public mutating func expect(_ word: String) throws(Diagnostic) {
        guard let t = peek else { throw error("expected '\(word)'") }
        guard t.text == word else { throw error("expected '\(word)', found '\(t.text)'") }
        index += 1
    }

    public func finish() throws(Diagnostic) {
        if let t = peek { throw error("unexpected '\(t.text)': the command was complete before it", at: t.column) }
    }

    /// `n1` … `nN`, checked against the cluster's size, or a node's name.
    public mutating func node() throws(Diagnostic) -> NodeID {
        let t = try next(topology.numbered ? "a node (n1 … n\(clusterSize))" : "a node (\(nodeList))")
        return try resolve(t.text, at: t.column)
    }

    /// The node a word names, or a diagnostic that says which nodes there are.
    public func resolve(_ word: String, at column: Int) throws(Diagnostic) -> NodeID {
        if topology.numbered {
            guard let id = Self.nodeID(word) else {
                throw error("expected a node such as n1, found '\(word)'", at: column)
            }
            guard id < clusterSize else {
                throw error("no node \(word): this cluster has n1 … n\(clusterSize)", at: column)
            }
            return id
        }
        guard let id = topology.id(of: word) else {
            throw error("unknown node '\(word)'" + didYouMean(word, topology.names) + "; the nodes are \(nodeList)", at: column)
        }
        return id
    }

    /// Whether a word names a node of this cluster (for telling `payments.calls` from a query).
    public func isNode(_ word: String) -> Bool {
        topology.numbered ? Self.nodeID(word) != nil : topology.id(of: word) != nil
    }

    var nodeList: String {
        topology.count <= 12 ? topology.names.joined(separator: ", ")
            : topology.names.prefix(10).joined(separator: ", ") + ", … (\(topology.count) in all)"
    }

    /// A node or a range of numbered nodes, `n3` or `n1..n500` (both ends included).
    public mutating func nodes() throws(Diagnostic) -> ClosedRange<NodeID> {
        guard let t = peek, let dots = t.text.range(of: "..") else {
            let n = try node()
            return n...n
        }
        guard topology.numbered else { throw error("ranges such as n1..n5 need numbered nodes; name each node", at: t.column) }
        index += 1
        let lo = String(t.text[..<dots.lowerBound]), hi = String(t.text[dots.upperBound...])
        guard let a = Self.nodeID(lo), let b = Self.nodeID(hi) else {
            // `n1..n99999999999999999999`: the end is a node no cluster has, not a typo.
            if let big = [lo, hi].first(where: { $0.first == "n" && Self.isOversizedInteger(String($0.dropFirst())) }) {
                throw error("no node \(big): this cluster has n1 … n\(clusterSize)", at: t.column)
            }
            throw error("expected a range of nodes such as n1..n10, found '\(t.text)'", at: t.column)
        }
        guard a <= b else { throw error("the range \(t.text) runs backwards; write n\(b + 1)..n\(a + 1)", at: t.column) }
        guard b < clusterSize else {
            throw error("no node n\(b + 1): this cluster has n1 … n\(clusterSize)", at: t.column)
        }
        return a...b
    }

    public static func nodeID(_ s: String) -> NodeID? { parseNodeName(s) }

    /// Digits (with an optional sign) that no integer holds: worth saying so, rather than
    /// "not a number" or "unknown query".
    public static func isOversizedInteger(_ s: String) -> Bool {
        let digits = s.first == "-" || s.first == "+" ? s.dropFirst() : Substring(s)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber } && Int(s) == nil
    }

    public mutating func duration() throws(Diagnostic) -> SimTime {
        let t = try next("a duration such as 400ms")
        switch Self.parseDuration(t.text) {
        case .success(let d): return d
        case .failure(let m): throw error(m.message, at: t.column)
        }
    }

    public mutating func percent() throws(Diagnostic) -> Int {
        let t = try next("a percentage such as 50%")
        guard let ppm = Self.parsePercent(t.text) else {
            throw error("expected a percentage from 0% to 100%, found '\(t.text)'", at: t.column)
        }
        return ppm
    }

    public mutating func integer() throws(Diagnostic) -> Int {
        let t = try next("a whole number")
        guard let v = Int(t.text) else { throw error("expected a whole number, found '\(t.text)'", at: t.column) }
        return v
    }

    /// A plain decimal: `400`, `-2`, `1.5`, `.5`. Swift's `Double` also reads `1e-300`, `0x10`,
    /// `nan` and `inf`, which a lesson's durations and shares have no use for and which only
    /// produced confusing messages ("found '1e'" for `1e-300ms` in a range).
    public static func decimal<S: StringProtocol>(_ s: S) -> Double? {
        var digits = 0, dots = 0
        for (k, c) in s.enumerated() {
            if c == "-" || c == "+" { guard k == 0 else { return nil } }
            else if c == "." { dots += 1 }
            else if c.isASCII && c.isNumber { digits += 1 }
            else { return nil }
        }
        guard digits > 0, dots <= 1 else { return nil }
        return Double(String(s))
    }

    /// "50%" or "12.5%" → parts per million.
    public static func parsePercent(_ s: String) -> Int? {
        guard s.hasSuffix("%"), let v = decimal(s.dropLast()), v >= 0, v <= 100 else { return nil }
        return Int((v * 10_000).rounded())
    }

    /// "400ms", "1.5s", "250us", "-200ms". Units are required: a bare number is ambiguous.
    public static func parseDuration(_ s: String) -> Result<SimTime, Problem> {
        let units: [(String, Double)] = [("us", 1), ("µs", 1), ("ms", 1_000), ("s", 1_000_000)]
        for (suffix, scale) in units where s.hasSuffix(suffix) {
            let number = s.dropLast(suffix.count)
            if suffix == "s", number.hasSuffix("m") || number.hasSuffix("u") || number.hasSuffix("µ") { continue }
            guard let v = decimal(number), v.isFinite else {
                if Double(String(number)) != nil || number.contains(where: { $0 == "e" || $0 == "E" }) {
                    return .failure(Problem("write a duration as a plain decimal with a unit, such as 400ms or 1.5s (no exponents or hex), found '\(s)'"))
                }
                return .failure(Problem("expected a duration such as 400ms, found '\(s)'"))
            }
            let us = v * scale
            guard abs(us) <= 86_400_000_000 else {
                return .failure(Problem("duration '\(s)' is more than a day\(us < 0 ? " back" : ""): no setting or command takes that much"))
            }
            return .success(SimTime(us.rounded()))
        }
        if decimal(s) != nil { return .failure(Problem("'\(s)' needs a unit: us, ms or s (e.g. \(s)ms)")) }
        return .failure(Problem("expected a duration such as 400ms, found '\(s)'"))
    }

    /// "150-300ms", "150ms-300ms", "200ms": a range of durations.
    public static func parseRange(_ s: String) -> Result<ClosedRange<SimTime>, Problem> {
        // An exponent's sign is not a range's dash: say what is wrong with the number instead.
        if s.contains(where: { $0 == "e" || $0 == "E" }), s.contains("-") {
            return .failure(Problem("write a duration as a plain decimal with a unit, such as 400ms or 1.5s (no exponents or hex), found '\(s)'"))
        }
        let parts = s.split(separator: "-", maxSplits: 1).map(String.init)
        // Found by fuzzing: "-" and "---" split into no parts at all.
        guard !parts.isEmpty else { return .failure(Problem("expected a duration or a range such as 150-300ms, found '\(s)'")) }
        if parts.count == 1 { return parseDuration(s).map { $0...$0 } }
        var lo = parts[0], hi = parts[1]
        if decimal(lo) != nil, let unit = hi.firstIndex(where: { $0.isLetter || $0 == "µ" }) { lo += hi[unit...] }
        if decimal(hi) != nil, let unit = lo.firstIndex(where: { $0.isLetter || $0 == "µ" }) { hi += lo[unit...] }
        switch (parseDuration(lo), parseDuration(hi)) {
        case let (.success(a), .success(b)):
            guard a <= b else { return .failure(Problem("range '\(s)' runs backwards")) }
            guard a >= 0 else { return .failure(Problem("range '\(s)' must not be negative")) }
            return .success(a...b)
        case (.failure(let m), _), (_, .failure(let m)):
            return .failure(m)
        }
    }
}

/// A value that could not be read, with a message for a person.
public struct Problem: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
