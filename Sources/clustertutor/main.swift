import ArgumentParser

struct ClusterTutor: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "clustertutor",
        abstract: "Learn distributed-systems patterns by watching a simulated cluster, one step at a time.",
        version: version,
        subcommands: [Menu.self, Play.self, Sandbox.self, Check.self, Render.self, List.self],
        defaultSubcommand: Menu.self)
}

ClusterTutor.main()
