import Canvas

/// How much room there is, in the classes layouts decide by. A projector with a big font gives
/// about 60x18; a laptop terminal 80x24 to 120x34; a large monitor 160x48 and beyond.
public enum SizeClass: Int, Sendable, Comparable, CaseIterable {
    case small, compact, regular, large

    public init(width: Int, height: Int) {
        if width >= 160 && height >= 48 { self = .large }
        else if width >= 120 && height >= 34 { self = .regular }
        else if width >= 80 && height >= 24 { self = .compact }
        else { self = .small }
    }

    public static func < (a: SizeClass, b: SizeClass) -> Bool { a.rawValue < b.rawValue }
}

/// What a scene asks of the screen, so the app can lay out the player around it rather than give
/// every pattern the same fixed share.
public struct SceneNeeds: Sendable, Equatable {
    /// Below this the scene cannot say anything useful (inside its box).
    public var minWidth: Int
    public var minHeight: Int
    /// Percent of the width the scene would like beside the narration.
    public var widthShare: Int
    /// Whether the event log helps read this scene (a picture of a thousand nodes gains little
    /// from a log of single messages).
    public var wantsEventLog: Bool
    /// Whether the scene draws more (bigger cards, more detail) when given more room than its
    /// share: then the app gives it what the narration does not need.
    public var grows: Bool
    /// Rows that show everything the scene has (membership's rows and its matrix), when it is
    /// more than `minHeight`: the presenter gives a short band's spare rows to reach it.
    public var fullHeight: Int?

    public init(minWidth: Int = 40, minHeight: Int = 10, widthShare: Int = 56, wantsEventLog: Bool = true, grows: Bool = true,
                fullHeight: Int? = nil) {
        self.minWidth = minWidth; self.minHeight = minHeight; self.widthShare = widthShare
        self.wantsEventLog = wantsEventLog; self.grows = grows; self.fullHeight = fullHeight
    }
}
