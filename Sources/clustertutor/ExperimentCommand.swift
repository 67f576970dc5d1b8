import ArgumentParser
import Canvas
import Experiments
import Foundation
import Patterns
import Terminal

/// `clustertutor experiment NAME`: many seeded runs of a pattern, summarised beside the
/// published result.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Run many seeded trials of a pattern and show them beside the published result.",
        version: ClusterTutor.version)

    @Argument(help: "The experiment (see --list).") var name: String?
    @Flag(help: "List the experiments.") var list = false
    // Parsed unconditionally so "--trials -1" is a bad count, not a missing one.
    @Option(parsing: .unconditional, help: "Trials at each point (default: the experiment's own).") var trials: Int?
    @Option(parsing: .unconditional, help: "Threads to run trials on (default: the number of cores). Results do not depend on it.") var jobs: Int?
    // Unconditional, so "--seed -1" is a bad seed, not a missing one.
    @Option(parsing: .unconditional, help: "Seed of the whole run; each trial's seed derives from it.") var seed: UInt64 = 1
    @Option(name: .customLong("set"), help: ArgumentHelp("A setting of the experiment, e.g. --set n=10,100,1000.", valueName: "key=value"))
    var settings: [String] = []
    @Option(help: "Write every trial to this CSV file.") var csv: String?
    @Flag(help: "Print the run as JSON instead of the table and plot.") var json = false
    @Flag(help: "ASCII plot.") var ascii = false

    func run() throws {
        if list || name == nil {
            let width = (ExperimentCatalog.all.map { $0.name.count }.max() ?? 0) + 2
            let g: GlyphSet = ascii || !Terminal.prepareLocale() ? .ascii : .unicode
            // Each summary wrapped beside its name, so the list fits 80 columns.
            for e in ExperimentCatalog.all {
                for (k, line) in ExperimentReport.wrapWords(g.text(e.summary), width: 80 - width).enumerated() {
                    print((k == 0 ? e.name : "").padding(toLength: width, withPad: " ", startingAt: 0) + line)
                }
            }
            if name == nil && !list { throw usageError(ExperimentCommand.self, "name an experiment: \(ExperimentCatalog.all.map { $0.name }.joined(separator: ", "))") }
            return
        }
        let name = self.name!
        let e: any Experiment.Type
        switch ExperimentCatalog.find(name) {
        case .success(let found): e = found
        case .failure(let problem): throw usageError(ExperimentCommand.self, problem.message)
        }
        let s: Settings
        switch e.readSettings(settings) {
        case .success(let read): s = read
        case .failure(let problem): throw usageError(ExperimentCommand.self, problem.message)
        }
        let plan: ExperimentPlan
        do { plan = try e.plan(s) } catch { throw usageError(ExperimentCommand.self, error.message) }
        let n = trials ?? e.defaultTrials
        guard (1...100_000).contains(n) else { throw usageError(ExperimentCommand.self, "--trials must be from 1 to 100000, found \(n)") }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let j = jobs ?? cores
        guard (1...256).contains(j) else { throw usageError(ExperimentCommand.self, "--jobs must be from 1 to 256, found \(j)") }
        // The CSV file is checked before the trials run, so a bad path does not cost the run, and
        // only once everything else is known good, so a refused run leaves an old file as it was.
        // Opened, not replaced: a path naming a device or a link is written through (Foundation's
        // atomic write renamed a new file over /dev/full when run as root), and opened without
        // truncating, so an old file keeps its trials until the new ones are there to write. A
        // file not there yet is made only then (its folder checked now): a run stopped by
        // Ctrl-C leaves no empty file behind.
        var csvFile: Int32 = -1
        if let csv {
            func refuse(_ why: String) -> Error {
                usageError(ExperimentCommand.self, "--csv cannot write '\(csv)' (\(why)): it must be a file in a folder that exists and is writable")
            }
            guard !csv.isEmpty else { throw refuse("an empty path") }
            csvFile = open(csv, O_WRONLY | O_CLOEXEC)
            if csvFile < 0 && errno == ENOENT {
                // The folder the file will be made in: a dangling link's target's, not the link's.
                let folder = (csvTarget(csv) as NSString).deletingLastPathComponent
                guard access(folder.isEmpty ? "." : folder, W_OK | X_OK) == 0 else { throw refuse(String(cString: strerror(errno))) }
            } else if csvFile < 0 {
                throw refuse(String(cString: strerror(errno)))
            }
        }
        defer { if csvFile >= 0 { close(csvFile) } }
        // A progress bar on a terminal; nothing but results on a pipe.
        let showProgress = isatty(STDERR_FILENO) == 1
        let started = Date()
        // As wide as the terminal allows, so it never wraps into lines of its own.
        var size = winsize()
        let columns = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
        let barWidth = max(5, min(30, columns - 26))
        // Drawn at every hundredth of the trials, and at least every quarter second: a
        // hundredth of 100,000 long trials kept the bar still for 16 s, as if it had hung.
        let drawn = BarClock()
        let bar: @Sendable (Int, Int) -> Void = { done, total in
            let now = DispatchTime.now().uptimeNanoseconds
            guard done % max(1, total / 100) == 0 || done == total || now &- drawn.at > 250_000_000 else { return }
            drawn.at = now
            let w = barWidth, filled = w * done / total
            let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: w - filled) + "] \(done)/\(total) trials"
            FileHandle.standardError.write(Data(line.utf8))
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
        let result = ExperimentRunner.run(name: name, plan: plan, trials: n, seed: seed, jobs: j, progress: showProgress ? bar : nil)
        // The results are shown first: a CSV that cannot be written (a full disk) is then
        // reported, but does not lose the run.
        defer { if showProgress { FileHandle.standardError.write(String(format: "%d trials on %d threads in %.1f s\n", n * plan.points.count, j, Date().timeIntervalSince(started)).data(using: .utf8)!) } }
        show(result, json: json)
        if let csv {
            if csvFile < 0 { csvFile = open(csv, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644) }
            if let problem = csvFile < 0 ? String(cString: strerror(errno)) : writeAll(ExperimentReport.csv(result), to: csvFile) {
                FileHandle.standardError.write(Data("clustertutor: could not write the trials to '\(csv)': \(problem)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// The table and the plot, or the JSON.
    private func show(_ result: ExperimentResult, json: Bool) {
        if json { print(ExperimentReport.json(result), terminator: ""); return }
        let glyphs: GlyphSet = ascii || !Terminal.prepareLocale() ? .ascii : .unicode
        for line in ExperimentReport.table(result) { print(glyphs.text(line)) }
        print("")
        if result.summaries.allSatisfy({ $0.finished == 0 }) {
            print("No trial finished, so there is nothing to plot: the runs hit their time limit\n(see 'done' above).")
        } else {
            var plot = ExperimentReport.plot(result, glyphs: glyphs)
            if glyphs == .ascii { plot.foldToASCII() }
            print(plot.text, terminator: "")
        }
    }
}

/// Writes `text` to an open file from its start, replacing what a regular file held; nil, or
/// why it could not (a full disk, a closed pipe).
func writeAll(_ text: String, to fd: Int32) -> String? {
    var st = stat()
    if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else { return String(cString: strerror(errno)) }
    }
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue }; return String(cString: strerror(errno)) }
        bytes = bytes.dropFirst(n)
    }
    return nil
}

/// When the progress bar was last drawn. The runner serialises its progress calls, so this is
/// only ever touched by one thread at a time.
private final class BarClock: @unchecked Sendable {
    var at: UInt64 = 0
}

/// Where a path not there yet will be made: through its symbolic links (a link to a missing
/// file makes that file), up to a few of them.
func csvTarget(_ path: String) -> String {
    var p = path
    for _ in 0..<8 {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: p) else { return p }
        p = target.hasPrefix("/") ? target : ((p as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
    }
    return p
}
