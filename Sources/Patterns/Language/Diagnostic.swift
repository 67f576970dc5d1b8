import Simulation
/// A problem in a lesson file, pinned to where a person should look.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String = "", line: Int, column: Int, _ message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// `Lessons/x.md:14:5: unknown command 'crsh' (did you mean 'crash'?)`
    /// Control characters from the lesson (an escape sequence in a misspelt command) are shown,
    /// not sent: a lesson must not be able to retitle or clear the terminal it is checked in.
    public var description: String { visibleControls("\(file):\(line):\(column): \(message)") }
}

/// The closest known word, if it is close enough to be a likely typo.
public func suggestion(for word: String, among candidates: [String]) -> String? {
    var best: (String, Int)?
    for c in candidates {
        let d = editDistance(word.lowercased(), c.lowercased())
        if d <= max(1, min(c.count, word.count) / 3 + 1), best == nil || d < best!.1 { best = (c, d) }
    }
    return best?.0
}

public func didYouMean(_ word: String, _ candidates: [String]) -> String {
    suggestion(for: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
}

public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    for i in 1...a.count {
        var cur = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        prev = cur
    }
    return prev[b.count]
}

/// Every problem found in one lesson, in file order.
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
    public var all: [Diagnostic]
    public init(_ all: [Diagnostic]) { self.all = all }
    public var description: String { all.map(\.description).joined(separator: "\n") }
}
