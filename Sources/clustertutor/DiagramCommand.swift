import ArgumentParser
import App
import Foundation
import Lessons
import Patterns
import Simulation
import Scenes
import Terminal

struct DiagramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagram",
        abstract: "Print a clocks lesson's time-space diagram as text, or export its log for ShiViz.",
        version: ClusterTutor.version)

    @Argument(help: "A built-in lesson's name or a lesson file's path (pattern: clocks).") var lesson: String
    @Option(parsing: .unconditional, help: "The step whose end to show (default: the last).") var step: Int?
    @Option(parsing: .unconditional, help: "Width in columns (20 to 1000): a longer diagram is printed in bands.") var width = 100
    @Flag(help: "Print the run's log in ShiViz's default format instead of the diagram.") var shiviz = false
    @Flag(help: "Use ASCII glyphs only.") var ascii = false

    func run() throws {
        let document = try loadOrExit(lesson)
        // A lesson whose frontmatter or pattern is wrong gets its own diagnostics first, not
        // "a '?' lesson".
        if case .failure(let d) = pattern(for: document, among: Catalog.lessonPatterns) {
            FileHandle.standardError.write("\(d)\n".data(using: .utf8)!)
            throw ExitCode(1)
        }
        guard document.patternName == Clocks.name else {
            throw usageError(DiagramCommand.self, "\(document.name) is a '\(document.patternName ?? "?")' lesson; diagram works with pattern: clocks")
        }
        let lessonValue: CompiledLesson<Clocks>
        switch CompiledLesson<Clocks>.compile(document) {
        case .success(let l): lessonValue = l
        case .failure(let d):
            FileHandle.standardError.write("\(d)\n".data(using: .utf8)!)
            throw ExitCode(1)
        }
        let k = step ?? lessonValue.steps.count
        guard (0...lessonValue.steps.count).contains(k) else {
            throw usageError(DiagramCommand.self, "\(document.name) has \(counted(lessonValue.steps.count, "step")); --step must be 0…\(lessonValue.steps.count), found \(k)")
        }
        guard (20...1000).contains(width) else { throw usageError(DiagramCommand.self, "--width must be from 20 to 1000, found \(width)") }
        let run = LessonRun<Clocks>.atEndOfStep(k, of: lessonValue, journal: .off)
        if shiviz {
            print(ShiViz.log(History(run.cluster), size: run.cluster.size), terminator: "")
        } else {
            // A locale that is not UTF-8 gets ASCII, as the player does.
            print(Clocks.diagramText(run.cluster, width: width, ascii: ascii || !Terminal.prepareLocale()), terminator: "")
        }
    }
}
