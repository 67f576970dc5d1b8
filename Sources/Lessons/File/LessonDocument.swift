import Foundation
import Patterns
import Quiz

/// A lesson file split into its parts, before any pattern has looked at it: frontmatter,
/// introduction, and steps with their narration and `sim` lines. Pattern-agnostic on purpose,
/// so a file whose `pattern:` is unknown still gets every structural error reported.
public struct LessonDocument: Sendable {
    public struct SimLine: Sendable { public var text: String; public var line: Int }
    public struct Step: Sendable {
        public var title: String
        public var line: Int
        /// Markdown, as written, without the `sim` blocks.
        public var narration: [String]
        public var sim: [SimLine]
        /// Questions asked when the student enters the step, before its simulation runs.
        public var quizzes: [LessonQuiz] = []
        /// Speaker notes (a `notes` block): for the teacher's screen, never the class's.
        public var notes: [String] = []
        /// `experiment` blocks: an experiment's line, and where it is written.
        public var experiments: [SimLine] = []
    }

    public var file: String
    public var name: String
    public var settings = Settings()
    public var introduction: [String] = []
    public var steps: [Step] = []
    public var diagnostics: [Diagnostic] = []

    public var title: String { settings["title"] ?? name }
    public var patternName: String? { settings["pattern"] }
    /// One line for menus: the `summary:` setting, or the introduction's first sentence.
    public var summary: String {
        if let s = settings["summary"] { return s }
        let text = introduction.prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .joined(separator: " ")
        let plain = text.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
            .replacingOccurrences(of: "*", with: "")
        if let dot = plain.firstIndex(of: ".") { return String(plain[...dot]) }
        return plain
    }

    /// Lesson files are untrusted: bounded in size so a huge file cannot stall the tool.
    public static let maxBytes = 512 * 1024

    /// The fenced blocks a lesson may hold; any other fence is text in the narration.
    static let blockKinds = ["sim", "quiz", "notes", "experiment"]

    /// The block kind a fence's word looks like a slip for (`Sim`, `simulation`, `quizz`), if
    /// any: such a block would be shown to students as text, and its commands never run.
    static func misspeltBlock(_ word: String) -> String? {
        let kinds = blockKinds
        let w = word.lowercased()
        guard !w.isEmpty, !kinds.contains(word) else { return nil }
        // One slip in a short word, two in a long one: "sql" and "go" are code, not a slip for "sim".
        return kinds.first { w.hasPrefix($0) } ?? kinds.first { editDistance(w, $0) <= ($0.count >= 5 ? 2 : 1) }
    }
    public static let maxSteps = 200

    public init(file: String, name: String, text: String) {
        self.file = file
        self.name = name
        // A file saved with Windows line endings is the same lesson.
        parse(text.contains("\r\n") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text)
        for i in diagnostics.indices { diagnostics[i].file = file }
    }

    private mutating func problem(_ line: Int, _ column: Int, _ message: String) {
        diagnostics.append(Diagnostic(line: line, column: column, message))
    }

    private mutating func parse(_ text: String) {
        guard text.utf8.count <= Self.maxBytes else {
            problem(1, 1, "lesson file is larger than \(Self.maxBytes / 1024) KB")
            return
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        var i = 0
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            problem(1, 1, "a lesson starts with frontmatter: a line '---', then 'title: …' and 'pattern: …', then '---'")
            return
        }
        i = 1
        var closed = false
        while i < lines.count {
            let raw = lines[i]
            let n = i + 1
            i += 1
            if raw.trimmingCharacters(in: .whitespaces) == "---" { closed = true; break }
            if raw.trimmingCharacters(in: .whitespaces).isEmpty || raw.hasPrefix("#") { continue }
            guard let colon = raw.firstIndex(of: ":") else {
                problem(n, 1, "frontmatter lines are 'key: value', found '\(raw)'")
                continue
            }
            let key = raw[..<colon].trimmingCharacters(in: .whitespaces)
            let value = raw[raw.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let valueColumn = raw.distance(from: raw.startIndex, to: colon) + 2 + (raw[raw.index(after: colon)...].prefix { $0 == " " }.count)
            if key.isEmpty || key.contains(" ") {
                problem(n, 1, "frontmatter key '\(key)' must be one word")
            } else if settings[key] != nil {
                problem(n, 1, "'\(key)' is set twice")
            } else {
                settings.set(key, value, line: n, column: valueColumn)
            }
        }
        guard closed else {
            problem(1, 1, "frontmatter is not closed: add a line '---' after the settings")
            return
        }
        if settings["title"].map({ $0.isEmpty }) ?? true { problem(1, 1, "frontmatter needs 'title: …'") }
        if settings["pattern"].map({ $0.isEmpty }) ?? true { problem(1, 1, "frontmatter needs 'pattern: …'") }

        var fence: (kind: String, line: Int)?
        var quizLines: [(String, Int)] = []
        var experimentLines = 0   // in the open experiment block
        while i < lines.count {
            let raw = lines[i]
            let n = i + 1
            i += 1
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if let f = fence {
                if trimmed.hasPrefix("```") {
                    fence = nil
                    if f.kind == "quiz" {
                        switch LessonQuiz.parse(quizLines, opening: f.line) {
                        case .success(let q): steps[steps.count - 1].quizzes.append(q)
                        case .failure(let p): for x in p.all { problem(x.line, x.column, x.message) }
                        }
                    } else if f.kind == "notes" {
                        if steps[steps.count - 1].notes.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                            problem(f.line, 1, "this notes block is empty: write what the teacher should say or do, or remove it")
                        }
                    } else if f.kind == "experiment" && experimentLines == 0 {
                        problem(f.line, 1, "this experiment block is empty: write one line such as 'raft-election --trials 100', or remove it")
                    } else if f.kind != "sim" && f.kind != "experiment" && !f.kind.hasPrefix("ignored") {
                        append(raw)
                    }
                } else if f.kind == "notes" {
                    if steps[steps.count - 1].notes.count < 200 { steps[steps.count - 1].notes.append(raw) }
                } else if f.kind == "experiment" {
                    let line = raw.trimmingCharacters(in: .whitespaces)
                    if line.isEmpty || line.hasPrefix("#") { continue }
                    experimentLines += 1
                    // Said once a block: a block of 10,000 lines is one mistake, not 9,999.
                    if experimentLines > 2 { continue }
                    if experimentLines == 2 { problem(n, 1, "an experiment block is one line (the experiment and its options); a second experiment goes in a step of its own") }
                    else if steps[steps.count - 1].experiments.count >= 1 { problem(n, 1, "a step shows one experiment; put the next in a step of its own") }
                    else { steps[steps.count - 1].experiments.append(SimLine(text: line, line: n)) }
                } else if f.kind == "quiz" {
                    quizLines.append((raw, n))
                } else if f.kind.hasPrefix("ignored") {
                    continue
                } else if f.kind == "sim" {
                    steps[steps.count - 1].sim.append(SimLine(text: raw, line: n))
                } else {
                    append(raw)
                }
                continue
            }
            if trimmed.hasPrefix("```") {
                let kind = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
                fence = (kind, n)
                if Self.blockKinds.contains(kind) {
                    if steps.isEmpty { problem(n, 1, "a \(kind) block belongs in a step: put a '## ' heading above it"); fence = ("ignored-\(kind)", n) }
                    quizLines = []
                    experimentLines = 0
                } else {
                    if let meant = Self.misspeltBlock(kind) {
                        problem(n, 1, "a '```\(kind)' block is shown as text in the narration; did you mean '```\(meant)'? (a block that is meant as text can be opened with a plain ```)")
                    }
                    append(raw)
                }
                continue
            }
            if trimmed.hasPrefix("~~~") {
                // Markdown's other fence: here it is text, so a `~~~sim` block never ran and
                // `check` passed its step.
                let word = trimmed.drop { $0 == "~" }.trimmingCharacters(in: .whitespaces)
                if let meant = Self.blockKinds.first(where: { $0 == word.lowercased() }) ?? Self.misspeltBlock(word) {
                    problem(n, 1, "blocks open with ``` here: this '~~~\(word)' fence is shown as text; write '```\(meant)'")
                }
            }
            if raw.hasPrefix("## ") {
                let title = raw.dropFirst(3).trimmingCharacters(in: .whitespaces)
                if title.isEmpty { problem(n, 1, "a step heading needs a title after '## '") }
                if steps.count == Self.maxSteps { problem(n, 1, "a lesson has at most \(Self.maxSteps) steps"); return }
                steps.append(Step(title: title, line: n, narration: [], sim: [], quizzes: []))
                continue
            }
            append(raw)
        }
        if let f = fence { problem(f.line, 1, "this ``` block is never closed") }
        if steps.isEmpty && diagnostics.isEmpty { problem(lines.count, 1, "a lesson needs at least one step: a '## ' heading") }
        introduction = trimBlank(introduction)
        for k in steps.indices { steps[k].narration = trimBlank(steps[k].narration) }
    }

    private mutating func append(_ line: String) {
        if steps.isEmpty { introduction.append(line) } else { steps[steps.count - 1].narration.append(line) }
    }

    private func trimBlank(_ lines: [String]) -> [String] {
        var l = lines
        while l.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { l.removeFirst() }
        while l.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { l.removeLast() }
        return l
    }
}
