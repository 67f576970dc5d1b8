import ArgumentParser
import App
import Canvas
import Experiments
import Patterns
import Foundation
import Lessons
import Simulation
import Terminal

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Parse, run and verify lessons headless: every step, every expect.",
        discussion: "Prints a line per lesson and a closing line 'N passed, M failed'. Exits 1 if any failed.",
        version: ClusterTutor.version)

    @Argument(help: "Lesson files or folders (default: Lessons, or the built-in lessons when there is no such folder); - reads one lesson from standard input.")
    var paths: [String] = []

    func run() throws {
        var documents: [LessonDocument] = []
        var passed = 0, failed = 0
        if paths.isEmpty && !FileManager.default.fileExists(atPath: "Lessons") {
            print("(no Lessons folder here: checking the built-in lessons)")
            documents = LessonSource.builtin
        } else {
            let (files, problems) = LessonSource.expand(paths.isEmpty ? ["Lessons"] : paths)
            // A path that gave nothing fails on its own line; the others are still checked.
            for p in problems {
                failed += 1
                print("FAIL \(p)")
            }
            // A file that cannot be read fails on its own line; the others are still checked.
            for f in files {
                do { documents.append(try LessonSource.read(f)) } catch {
                    failed += 1
                    print("FAIL \(f)\n  \(error)")
                }
            }
        }
        for d in documents {
            var o = checkLesson(d, among: Catalog.lessonPatterns)
            // `experiment` blocks are run too, at the lesson's own trial count.
            var experiments = 0
            for step in d.steps { for block in step.experiments {
                switch LessonExperiment.parse(block.text) {
                case .failure(var diag):
                    diag.file = d.file; diag.line = block.line
                    o.diagnostics.append(diag)
                case .success(let e):
                    if case .failure(var diag) = e.run(jobs: 2) {
                        diag.file = d.file; diag.line = block.line
                        o.diagnostics.append(diag)
                    }
                    experiments += 1
                }
            } }
            if o.passed {
                passed += 1
                print("PASS \(d.file)  (\(counted(o.steps, "step")), \(counted(o.expectations, "expect")), \(counted(o.quizzes, "quiz", "quizzes")), "
                      + (experiments > 0 ? "\(counted(experiments, "experiment")), " : "")
                      + "\(SimDuration.format(o.simulated)) simulated, \(counted(o.events, "event")))")
            } else {
                failed += 1
                print("FAIL \(d.file)")
                for diag in o.diagnostics { print("  \(diag)") }
                if let f = o.failure { print("  \(f)") }
            }
        }
        print("\(passed) passed, \(failed) failed")
        if failed > 0 { throw ExitCode(1) }
    }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the exact screen the player shows at the end of a step, as plain text.",
        version: ClusterTutor.version)

    @Argument(help: "A built-in lesson's name or a lesson file's path.") var lesson: String
    // Parsed unconditionally so "--width -5" is a bad width, not a missing one.
    @Option(parsing: .unconditional, help: "The step (0 is the introduction, as the lesson opens).") var step = 0
    @Option(parsing: .unconditional, help: "Screen width in columns (80…1000; 60… with --present).") var width = 100
    @Option(parsing: .unconditional, help: "Screen height in rows (24…500; 18… with --present).") var height = 30
    @Flag(help: "Use ASCII glyphs only.") var ascii = false
    @Flag(help: "The presenter's view (what `present` shows a room) instead of the player's.") var present = false
    @Flag(help: "Write HTML (a <pre> with the colours) instead of plain text.") var html = false

    func validate() throws {
        // Below the player's smallest screen there is nothing to render but its "make the
        // terminal larger" notice, which a script would take for the lesson's screen.
        // The presenter works down to a projector's 60x18, and renders there too.
        let (w, h) = present ? AppModel.presenterMinimum : (AppModel.minimumWidth, AppModel.minimumHeight)
        let who = present ? "the presenter" : "the player"
        guard (w...1000).contains(width) else { throw ValidationError("--width must be from \(w) to 1000 (\(who) needs \(w)x\(h) at least), found \(width)") }
        guard (h...500).contains(height) else { throw ValidationError("--height must be from \(h) to 500 (\(who) needs \(w)x\(h) at least), found \(height)") }
        guard step >= 0 else { throw ValidationError("--step must be 0 or more, found \(step)") }
    }

    func run() throws {
        let document = try loadOrExit(lesson)
        guard step <= document.steps.count else {
            throw usageError(Render.self, "\(document.name) has \(counted(document.steps.count, "step")); --step must be 0…\(document.steps.count), found \(step)")
        }
        let session = try openOrExit(document, step: step, interactive: false)
        let player = PlayerState(session: session)
        let model = AppModel(screen: present ? .presenter(PresenterState(player: player)) : .player(player), width: width, height: height,
                             glyphs: ascii || !Terminal.prepareLocale() ? .ascii : .unicode)
        print(html ? model.view().html : model.view().text, terminator: "")
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the built-in lessons: name, pattern, title.", version: ClusterTutor.version)

    func run() {
        let docs = LessonSource.builtin
        let w = docs.map(\.name.count).max() ?? 0
        let pw = docs.map { ($0.patternName ?? "").count }.max() ?? 0
        for d in docs {
            print(d.name.padding(toLength: w, withPad: " ", startingAt: 0) + "  "
                  + (d.patternName ?? "?").padding(toLength: pw, withPad: " ", startingAt: 0) + "  " + d.title)
        }
    }
}

/// "1 step", "3 steps".
func counted(_ n: Int, _ one: String, _ many: String? = nil) -> String { "\(n) \(n == 1 ? one : many ?? one + "s")" }

func loadOrExit(_ lesson: String) throws -> LessonDocument {
    do { return try LessonSource.load(lesson) } catch {
        FileHandle.standardError.write("clustertutor: \(error)\n".data(using: .utf8)!)
        throw ExitCode(2)
    }
}

func openOrExit(_ document: LessonDocument, step: Int, interactive: Bool) throws -> any Playable {
    switch Catalog.open(document, atStep: step, interactive: interactive) {
    case .success(let s): return s
    case .failure(let d):
        FileHandle.standardError.write("\(d)\n\(d.all.count) error\(d.all.count == 1 ? "" : "s"); the lesson did not start.\n".data(using: .utf8)!)
        throw ExitCode(1)
    }
}
