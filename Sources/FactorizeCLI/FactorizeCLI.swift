/// Every subcommand, in the order `factorize --help` lists them.
let allCommands: [Command.Type] = [
    InitWeightsCommand.self, RunCommand.self, DecomposeCommand.self, CompressCommand.self, InspectCommand.self,
    EvalCommand.self, BenchCommand.self, ReportCommand.self, StudyCommand.self, TrainCommand.self, FinetuneCommand.self,
    ZooCommand.self, ZooListCommand.self, ZooBuildCommand.self,
]

/// Runs the `factorize` command line (the words after the program name) and
/// returns the process exit status: 0 success, 1 failure, 64 usage error.
public func runFactorize(_ arguments: [String]) -> Int32 {
    runFactorize(arguments, console: .standard)
}

func runFactorize(_ arguments: [String], console: Console) -> Int32 {
    guard let first = arguments.first, first != "--help", first != "-h", first != "help" || arguments.count == 1 else {
        console.print(topLevelHelp())
        return 0
    }
    if first == "--version" {
        console.print("factorize \(factorizeVersion)")
        return 0
    }

    var words = arguments
    if first == "help" {
        words = Array(arguments.dropFirst()) + ["--help"]
    }
    guard let (command, consumed) = findCommand(words) else {
        console.log("error: unknown command '\(words[0])'. Run 'factorize --help' for the list of commands.")
        return 64
    }

    do {
        let parsed = try parseArguments(Array(words.dropFirst(consumed)), spec: command.spec)
        if parsed.flag("help") {
            console.write(helpText(for: command.spec))
            return 0
        }
        try command.run(parsed, console: console)
        return 0
    } catch let error as UsageError {
        console.log("error: \(error.message)")
        console.log("Run 'factorize \(error.command ?? command.spec.name) --help' for usage.")
        return 64
    } catch {
        console.log("error: \(error)")
        return 1
    }
}

/// Finds the command whose name matches the longest prefix of `words`
/// (so `zoo build` wins over `zoo`), and how many words its name took.
private func findCommand(_ words: [String]) -> (Command.Type, Int)? {
    var best: (Command.Type, Int)?
    for command in allCommands {
        let nameWords = command.spec.name.split(separator: " ").map(String.init)
        guard nameWords.count <= words.count, Array(words.prefix(nameWords.count)) == nameWords else { continue }
        if best == nil || nameWords.count > best!.1 {
            best = (command, nameWords.count)
        }
    }
    return best
}

private func topLevelHelp() -> String {
    var lines = [
        "factorize \(factorizeVersion): compress CNNs with tensor decompositions and measure them on real runtimes.",
        "",
        "Usage: factorize <command> [arguments] [options]",
        "",
        "Commands:",
    ]
    for command in allCommands {
        lines.append(formatHelpRow(command.spec.name, command.spec.abstract))
    }
    lines += [
        "",
        "Run 'factorize <command> --help' for a command's arguments and options.",
        "Exit status: 0 success, 1 failure, 64 usage error.",
    ]
    return lines.joined(separator: "\n")
}
