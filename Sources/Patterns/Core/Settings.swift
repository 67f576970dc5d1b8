import Simulation

public struct SettingSpec: Sendable {
    public var key: String
    public var example: String
    public var help: String
    public init(_ key: String, example: String, help: String) {
        self.key = key; self.example = example; self.help = help
    }
}

/// The `key: value` lines of a lesson's frontmatter (or sandbox `--set` flags), with where each
/// one was written, so a bad value is reported at its own line and column.
public struct Settings: Sendable {
    public struct Entry: Sendable { public var value: String; public var line: Int; public var column: Int }
    public private(set) var entries: [String: Entry] = [:]
    public private(set) var order: [String] = []

    public init() {}

    public mutating func set(_ key: String, _ value: String, line: Int = 0, column: Int = 1) {
        if entries[key] == nil { order.append(key) }
        entries[key] = Entry(value: value, line: line, column: column)
    }

    public subscript(key: String) -> String? { entries[key]?.value }

    public func fail(_ key: String, _ message: String) -> Diagnostic {
        let e = entries[key]
        // A frontmatter value is the whole rest of its line (a title may hold '#'), so a
        // trailing comment becomes part of a number: say where comments go.
        let hint = e?.value.contains("#") == true ? " (a comment in the frontmatter goes on a line of its own, starting with #)" : ""
        return Diagnostic(line: e?.line ?? 0, column: e?.column ?? 1, message + hint)
    }

    public func duration(_ key: String, default d: SimTime, in allowed: ClosedRange<SimTime>) throws(Diagnostic) -> SimTime {
        guard let raw = self[key] else { return d }
        switch Words.parseDuration(raw) {
        case .success(let v):
            guard allowed.contains(v) else {
                throw fail(key, "\(key) must be between \(SimDuration.format(allowed.lowerBound)) and \(SimDuration.format(allowed.upperBound)), found \(raw)")
            }
            return v
        case .failure(let m): throw fail(key, "\(key): \(m.message)")
        }
    }

    public func range(_ key: String, default d: ClosedRange<SimTime>, in allowed: ClosedRange<SimTime>) throws(Diagnostic) -> ClosedRange<SimTime> {
        guard let raw = self[key] else { return d }
        switch Words.parseRange(raw) {
        case .success(let r):
            guard allowed.contains(r.lowerBound), allowed.contains(r.upperBound) else {
                throw fail(key, "\(key) must lie between \(SimDuration.format(allowed.lowerBound)) and \(SimDuration.format(allowed.upperBound)), found \(raw)")
            }
            return r
        case .failure(let m): throw fail(key, "\(key): \(m.message)")
        }
    }

    public func integer(_ key: String, default d: Int, in allowed: ClosedRange<Int>) throws(Diagnostic) -> Int {
        guard let raw = self[key] else { return d }
        guard let v = Int(raw) else {
            if Words.isOversizedInteger(raw) { throw fail(key, "\(key) must be from \(allowed.lowerBound) to \(allowed.upperBound), found '\(raw)', a number too large to hold") }
            throw fail(key, "\(key) must be a whole number, found '\(raw)'")
        }
        guard allowed.contains(v) else {
            throw fail(key, "\(key) must be from \(allowed.lowerBound) to \(allowed.upperBound), found \(v)")
        }
        return v
    }

    public func yesNo(_ key: String, default d: Bool) throws(Diagnostic) -> Bool {
        guard let raw = self[key] else { return d }
        guard raw == "yes" || raw == "no" else { throw fail(key, "\(key) must be yes or no, found '\(raw)'") }
        return raw == "yes"
    }

    public func percent(_ key: String, default d: Int) throws(Diagnostic) -> Int {
        guard let raw = self[key] else { return d }
        guard let v = Words.parsePercent(raw) else { throw fail(key, "\(key) must be a percentage from 0% to 100%, such as 5%, found '\(raw)'") }
        return v
    }

    /// Rejects keys nobody asked about, with a suggestion; returns every problem at once.
    public func unknownKeys(known: [String]) -> [Diagnostic] {
        order.compactMap { key in
            known.contains(key) ? nil
                : Diagnostic(line: entries[key]?.line ?? 0, column: 1, "unknown setting '\(key)'" + didYouMean(key, known))
        }
    }
}
