import Testing
@testable import Backends

@Test func backendsModuleLoads() {
    #expect(Bool(true))
}
