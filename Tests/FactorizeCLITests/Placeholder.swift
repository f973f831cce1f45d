import Testing
@testable import FactorizeCLI

@Test func factorizeCLIModuleLoads() {
    #expect(Bool(true))
}
