/// Entry point of the `factorize` command-line tool; returns the process exit code.
public func runFactorize(_ arguments: [String]) -> Int32 {
    return 0
}
