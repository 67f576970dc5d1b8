import Foundation
import Testing

/// Compares `text` with `Snapshots/NAME.txt` beside this file. A missing snapshot is written
/// (and, under CI, counted as a failure, since CI must compare, not record);
/// `RECORD_SNAPSHOTS=1` rewrites them all.
func assertSnapshot(_ name: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = dir.appendingPathComponent("\(name).txt")
    let env = ProcessInfo.processInfo.environment
    let existing = try? String(contentsOf: file, encoding: .utf8)
    if existing == nil || env["RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try? text.write(to: file, atomically: true, encoding: .utf8)
        if env["CI"] != nil && existing == nil {
            Issue.record("snapshot \(name) was missing; recorded it. Commit Snapshots/\(name).txt.", sourceLocation: sourceLocation)
        }
        return
    }
    if existing != text {
        let old = existing!.split(separator: "\n", omittingEmptySubsequences: false)
        let new = text.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for i in 0..<max(old.count, new.count) {
            let a = i < old.count ? String(old[i]) : "", b = i < new.count ? String(new[i]) : ""
            if a != b { diff.append("line \(i + 1):\n  - \(a)\n  + \(b)") }
        }
        let message = "snapshot \(name) differs (RECORD_SNAPSHOTS=1 to accept):\n" + diff.prefix(8).joined(separator: "\n")
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}
