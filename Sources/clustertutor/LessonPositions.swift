import App
import Foundation
import QuizStore

/// Where the student left each lesson: `$XDG_STATE_HOME/clustertutor/lesson-positions.json`
/// (default `~/.local/state/clustertutor/`), a JSON object of lesson name → step. Losing it
/// costs nothing but the offer to resume, so a file that cannot be read counts as empty and
/// is replaced on the next save; a save that fails is silent for the same reason.
struct LessonPositions {
    let file: URL

    init(directory: URL = ProgressStore.defaultDirectory()) {
        file = directory.appendingPathComponent("lesson-positions.json")
    }

    func load() -> [String: Int] {
        guard let data = try? Data(contentsOf: file), data.count < 1_000_000,
              let raw = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: Int] = [:]
        // Only sensible entries: a step from 1 to 10,000 under a short name.
        for (name, value) in raw where name.count <= 200 {
            if let n = value as? Int, (1...10_000).contains(n) { out[name] = n }
        }
        return out
    }

    func save(_ positions: [String: Int]) {
        let kept = positions.filter { $0.value > 0 }
        guard let data = try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]) else { return }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: file, options: .atomic)
    }
}
