import ArgumentParser
import App
import Canvas
import Foundation
import Lessons
import Quiz
import Scenes
import Simulation
import Terminal

struct Record: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a lesson headless with its real pacing and write an asciicast v2 recording (for asciinema's player).",
        version: ClusterTutor.version)
    @Argument(help: "A built-in lesson's name or a lesson file's path.") var lesson: String
    @Option(name: .shortAndLong, help: "The .cast file to write.") var output: String
    @Option(parsing: .unconditional, help: "Screen width in columns.") var width = 100
    @Option(parsing: .unconditional, help: "Screen height in rows.") var height = 30
    @Option(parsing: .unconditional, help: "Play this many times faster than the lesson's own pace (0.1…10).") var speed = 1.0
    @Option(help: "Which steps: 3, or 2-5 (default: all, the introduction included).") var steps: String?
    @Flag(help: "Record the student's player instead of the presenter's view.") var player = false
    @Flag(help: "Use ASCII glyphs only.") var ascii = false
    @Flag(help: "No colours (bold, dim and reverse stay).") var noColor = false

    func validate() throws {
        // The smallest screen the view recorded can show: a recording of a refusal is no recording.
        let least = player ? (80, 24) : (60, 18)
        guard (least.0...1000).contains(width), (least.1...500).contains(height) else {
            throw ValidationError("--width must be \(least.0)…1000 and --height \(least.1)…500 for \(player ? "the player" : "the presenter's view")")
        }
        guard speed >= 0.1, speed <= 10 else { throw ValidationError("--speed must be from 0.1 to 10, found \(speed)") }
    }

    func run() throws {
        let document = try loadOrExit(lesson)
        let count = document.steps.count
        var range = 0...count
        if let raw = steps {
            let parts = raw.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(parts.count), let lo = parts.first!, let hi = parts.last!, lo >= 0, lo <= hi, hi <= count else {
                throw usageError(Record.self, "--steps is N or A-B with steps from 0 to \(count), found '\(raw)'")
            }
            range = lo...hi
        }
        let session = try openOrExit(document, step: 0, interactive: true)
        var o = Recording.Options()
        o.width = width; o.height = height; o.speed = speed; o.presenter = !player
        o.glyphs = ascii || !Terminal.prepareLocale() ? .ascii : .unicode
        var cast = Recording.Cast(width: width, height: height, title: document.title, color: !noColor)
        var seconds = 0.0
        Recording.play(session, steps: range, o) { cast.add($0); seconds = $0.time }
        let frames = cast.frames
        try write(cast.finish(), to: output, Record.self)
        print("wrote \(output): \(frames) frames, \(String(format: "%.1f", seconds)) s, \(width)x\(height)")
    }
}

struct Handout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a Markdown handout of a lesson: each step's narration and screen, and its questions with answers at the end.",
        version: ClusterTutor.version)
    @Argument(help: "A built-in lesson's name or a lesson file's path.") var lesson: String
    @Option(name: .shortAndLong, help: "The file to write (default: standard output).") var output: String?
    @Option(parsing: .unconditional, help: "The pictures' width in columns.") var width = 90
    @Option(parsing: .unconditional, help: "The pictures' height in rows.") var height = 22

    func validate() throws {
        guard (60...300).contains(width), (12...100).contains(height) else { throw ValidationError("--width must be 60…300 and --height 12…100") }
    }

    func run() throws {
        let document = try loadOrExit(lesson)
        var md = "# \(document.title)\n\n*\(document.summary)*\n\n"
        md += document.introduction.joined(separator: "\n") + "\n\n"
        var questions: [LessonQuizText] = []
        for k in 0...document.steps.count {
            let session = try openOrExit(document, step: k, interactive: false)
            // The picture alone: no key bar, no narration (it is printed above it).
            var canvas = Canvas(width: width, height: height)
            session.drawScene(in: canvas.bounds, on: &canvas, SceneContext(glyphs: .unicode, sizeClass: SizeClass(width: width, height: height), keysLive: false))
            let screen = canvas.lines.reversed().drop { $0.isEmpty }.reversed().joined(separator: "\n") + "\n"
            if k > 0 {
                let s = document.steps[k - 1]
                md += "## Step \(k): \(s.title)\n\n"
                // Asked where the lesson asks it, before the step shows the answer.
                for q in s.quizzes {
                    let text = LessonQuizText(q)
                    questions.append(text)
                    md += "> **Question \(questions.count)** (think before reading on; answers at the end): \(text.question)\n"
                    if !text.choices.isEmpty { md += ">\n" + text.choices.split(separator: "\n").map { "> " + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n") + "\n" }
                    md += "\n"
                }
                md += s.narration.joined(separator: "\n") + "\n\n"
            }
            md += "```text\n" + screen + "```\n\n"
        }
        if !questions.isEmpty {
            md += "## Answers\n\n"
            for (n, q) in questions.enumerated() { md += "\(n + 1). **\(q.answer)**" + (q.explanation.isEmpty ? "" : ": " + q.explanation) + "\n" }
        }
        // A lesson is someone else's text: a direction override in it would reorder the handout
        // in every viewer. Each line is printed as the screen prints such text (escaped).
        md = md.split(separator: "\n", omittingEmptySubsequences: false).map { visibleControls(String($0)) }.joined(separator: "\n")
        if let output {
            try write(md, to: output, Handout.self)
        } else {
            print(md, terminator: "")
        }
    }
}

/// Writes `text` to `path`, or says why it could not (the folder is missing, it is a folder…).
func write<C: ParsableCommand>(_ text: String, to path: String, _ command: C.Type) throws {
    do { try text.write(toFile: path, atomically: true, encoding: .utf8) }
    catch {
        var isDirectory: ObjCBool = false
        let folder = (path as NSString).deletingLastPathComponent
        let why = !folder.isEmpty && !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) ? "the folder \(folder) does not exist"
            : FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? "it is a folder"
            : (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
        FileHandle.standardError.write("clustertutor: could not write \(path): \(why)\n".data(using: .utf8)!)
        throw ExitCode(1)
    }
}

/// A lesson question as a handout writes it.
struct LessonQuizText {
    var question: String, choices: String, answer: String, explanation: String
    init(_ q: LessonQuiz) {
        question = q.question
        choices = q.choices.enumerated().map { "   - \(LessonQuiz.letter($0.offset))) \($0.element)" }.joined(separator: "\n")
        switch q.answer {
        case .choice(let k): answer = "\(LessonQuiz.letter(k))) \(q.choices[k])"
        case let .number(v, d, _): answer = Format.quantity(v, d)
        }
        explanation = q.explanation
    }
}
