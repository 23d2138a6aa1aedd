package io.ordercqrs.query;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The query side's packages are features that depend on the projection contract, never the other
 * way round, and on each other without cycles.
 */
@AnalyzeClasses(packages = "io.ordercqrs.query", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTests {

    @ArchTest
    static final ArchRule featuresDependOnEachOtherWithoutCycles = slices()
            .matching("io.ordercqrs.query.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theProjectionPathKnowsNoFeature = noClasses()
            .that().resideInAPackage("io.ordercqrs.query.projection..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ordercqrs.query.customer..",
                    "io.ordercqrs.query.orderview..", "io.ordercqrs.query.customersummary..",
                    "io.ordercqrs.query.deadletter..", "io.ordercqrs.query.generation..", "io.ordercqrs.query.replay..",
                    "io.ordercqrs.query.verification..", "io.ordercqrs.query.web..");

    @ArchTest
    static final ArchRule theHttpEdgeKnowsNoFeature = noClasses()
            .that().resideInAPackage("io.ordercqrs.query.web..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ordercqrs.query.customer..",
                    "io.ordercqrs.query.orderview..", "io.ordercqrs.query.customersummary..",
                    "io.ordercqrs.query.deadletter..", "io.ordercqrs.query.generation..", "io.ordercqrs.query.replay..",
                    "io.ordercqrs.query.verification..", "io.ordercqrs.query.projection..");
}
