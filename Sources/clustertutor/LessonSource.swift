import Foundation
import Lessons
import Patterns

/// Finds lessons: a built-in one by name, or a file by path.
enum LessonSource {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static var builtin: [LessonDocument] {
        BuiltinLessons.all.map { LessonDocument(file: "Lessons/\($0.name).md", name: $0.name, text: $0.text) }
            .sorted { (order($0), $0.name) < (order($1), $1.name) }
    }

    static func order(_ d: LessonDocument) -> Int { Int(d.settings["order"] ?? "") ?? 1_000 }

    static func load(_ nameOrPath: String) throws(Failure) -> LessonDocument {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: nameOrPath, isDirectory: &isDir) {
            guard !isDir.boolValue else { throw Failure(description: "\(nameOrPath) is a folder; name one lesson file") }
            return try read(nameOrPath)
        }
        if let d = builtin.first(where: { $0.name == nameOrPath }) { return d }
        if nameOrPath.hasSuffix(".md") || nameOrPath.contains("/") {
            throw Failure(description: "no lesson file at \(nameOrPath)")
        }
        let names = builtin.map(\.name)
        throw Failure(description: "no built-in lesson '\(nameOrPath)'" + didYouMean(nameOrPath, names) + "; `clustertutor list` shows them all")
    }

    static func read(_ path: String) throws(Failure) -> LessonDocument {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > LessonDocument.maxBytes {
            throw Failure(description: "\(path): lesson file is larger than \(LessonDocument.maxBytes / 1024) KB")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Failure(description: "\(path): cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(description: "\(path): not UTF-8 text")
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return LessonDocument(file: path, name: name, text: text)
    }

    /// Files and folders given to `check` → lesson files (a folder's `*.md`, except README.md).
    static func expand(_ paths: [String]) throws(Failure) -> [String] {
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw Failure(description: "\(p): no such file or folder")
            }
            if isDir.boolValue {
                let items = (try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []
                out += items.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
                    .map { (p as NSString).appendingPathComponent($0) }
            } else {
                out.append(p)
            }
        }
        return out
    }
}
