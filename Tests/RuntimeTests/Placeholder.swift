import Testing
@testable import Runtime

@Test func runtimeModuleLoads() {
    #expect(Bool(true))
}
