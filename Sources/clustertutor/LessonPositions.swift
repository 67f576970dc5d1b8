import App
import Foundation
import QuizStore
#if canImport(Glibc)
import Glibc
#endif

/// Where the student left each lesson, and which they finished:
/// `$XDG_STATE_HOME/clustertutor/lesson-positions.json` (default `~/.local/state/clustertutor/`),
/// a JSON object of lesson name → step (-1: finished). Written as the quiz's progress is: a
/// locked read-modify-write (two open players do not undo each other's changes), atomically; a
/// file that cannot be read is set aside (`lesson-positions.corrupt-STAMP.json`) and replaced.
struct LessonPositions {
    let file: URL
    var lockFile: URL { file.deletingLastPathComponent().appendingPathComponent("lesson-positions.lock") }

    init(directory: URL = ProgressStore.defaultDirectory()) {
        file = directory.appendingPathComponent("lesson-positions.json")
    }

    func load() -> [String: Int] { locked { read() } ?? [:] }

    /// Writes the entries that differ from the file, keeping what another instance wrote since.
    func save(_ positions: [String: Int]) {
        _ = locked { () -> Bool in
            var all = read()
            for (name, step) in positions { all[name] = step == 0 ? nil : step }
            guard let data = try? JSONSerialization.data(withJSONObject: all, options: [.sortedKeys]) else { return false }
            return (try? data.write(to: file, options: .atomic)) != nil
        }
    }

    private func read() -> [String: Int] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [:] }
        guard let data = try? Data(contentsOf: file), data.count < 1_000_000,
              let raw = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            setAside()
            return [:]
        }
        var out: [String: Int] = [:]
        // Only sensible entries: a step from 1 to 10,000 (or -1, finished) under a short name.
        for (name, value) in raw where name.count <= 200 {
            if let n = value as? Int, n == -1 || (1...10_000).contains(n) { out[name] = n }
        }
        return out
    }

    private func setAside() {
        let stamp = Int(Date().timeIntervalSince1970)
        let target = file.deletingLastPathComponent().appendingPathComponent("lesson-positions.corrupt-\(stamp).json")
        try? FileManager.default.moveItem(at: file, to: target)
    }

    private func locked<T>(_ body: () -> T) -> T? {
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(lockFile.path, O_CREAT | O_RDWR, 0o600)
        guard fd >= 0 else { return body() }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 { if errno != EINTR { return body() } }
        defer { flock(fd, LOCK_UN) }
        return body()
    }
}
