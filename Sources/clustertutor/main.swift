import Foundation
import Lessons
import Patterns
let path = CommandLine.arguments[1]
let text = try! String(contentsOfFile: path, encoding: .utf8)
let doc = LessonDocument(file: path, name: "x", text: text)
let o = checkLesson(doc, among: [Raft.self])
print(o)
