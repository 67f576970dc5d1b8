import Patterns

extension Experiment {
    /// `--set key=value` values read the same way for the command line and a lesson's
    /// `experiment` block: each key one of this experiment's settings, and given once (a second
    /// one would silently win). The message says what is wrong.
    public static func readSettings(_ raws: [String]) -> Result<Settings, SettingsProblem> {
        var s = Settings()
        for raw in raws {
            guard let eq = raw.firstIndex(of: "=") else { return .failure(SettingsProblem("--set takes key=value, found '\(raw)'")) }
            let key = String(raw[..<eq]), value = String(raw[raw.index(after: eq)...])
            guard !key.isEmpty else {
                return .failure(SettingsProblem("--set \(raw) names no setting: write key=value, with a key of \(Self.settings.map(\.key).joined(separator: ", "))"))
            }
            guard Self.settings.contains(where: { $0.key == key }) else {
                return .failure(SettingsProblem("\(name) has no setting '\(key)'" + didYouMean(key, Self.settings.map(\.key))
                                                + "; it has \(Self.settings.map(\.key).joined(separator: ", "))"))
            }
            guard s[key] == nil else {
                return .failure(SettingsProblem("--set \(key) is given twice ('\(s[key]!)' and '\(value)'); for a sweep, give the values once, separated by commas"))
            }
            s.set(key, value)
        }
        return .success(s)
    }
}

public struct SettingsProblem: Error, Sendable {
    public var message: String
    init(_ message: String) { self.message = message }
}
