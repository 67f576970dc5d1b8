import ArgumentParser
import Foundation
import Patterns
import Terminal

struct ClusterTutor: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "clustertutor",
        abstract: "Learn distributed-systems patterns by watching a simulated cluster, one step at a time.",
        version: version,
        subcommands: [Menu.self, Play.self, Present.self, Notes.self, Record.self, Handout.self, Sandbox.self, QuizCommand.self, Check.self, Render.self, DiagramCommand.self, ExperimentCommand.self, List.self],
        defaultSubcommand: Menu.self)
}

// With a default subcommand, argument-parser would report "clustertutor frobnicate" against the
// menu's usage. Name the real problem instead.
let commands = ["menu", "play", "present", "notes", "record", "handout", "sandbox", "quiz", "check", "render", "diagram", "experiment", "list", "help"]
if let first = CommandLine.arguments.dropFirst().first, !first.hasPrefix("-"), !commands.contains(first) {
    let hint = suggestion(for: first, among: commands).map { " (did you mean '\($0)'?)" } ?? ""
    FileHandle.standardError.write("clustertutor: unknown command '\(first)'\(hint)\ncommands: \(commands.dropLast().joined(separator: ", ")); see 'clustertutor --help'\n".data(using: .utf8)!)
    exit(64)
}

/// Output that could not be written (a full disk, `> /dev/full`) is an error, not a silent
/// success: ends the program with status 1 when some of it was lost.
@discardableResult
func reportLostOutput() -> Bool {
    guard Terminal.outputFailed() else { return false }
    FileHandle.standardError.write("clustertutor: could not write the output: \(String(cString: strerror(errno)))\n".data(using: .utf8)!)
    return true
}

func exitIfOutputFailed() { if reportLostOutput() { exit(1) } }

do {
    var command = try ClusterTutor.parseAsRoot()
    try command.run()
    exitIfOutputFailed()
} catch {
    // --help and --version end here with success: their output is checked like any other.
    if ClusterTutor.exitCode(for: error) == .success {
        print(ClusterTutor.fullMessage(for: error))
        exitIfOutputFailed()
        exit(0)
    }
    // A failing command (check with a failed lesson) whose output was lost still says so.
    reportLostOutput()
    ClusterTutor.exit(withError: error)
}
