package io.ordercqrs.command;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The command side's packages are features without cycles between them; the outbox, the HTTP
 * edge and the asynchronous commands serve the features and know none of them.
 */
@AnalyzeClasses(packages = "io.ordercqrs.command", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTests {

    @ArchTest
    static final ArchRule featuresDependOnEachOtherWithoutCycles = slices()
            .matching("io.ordercqrs.command.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule theOutboxKnowsNoFeature = noClasses()
            .that().resideInAPackage("io.ordercqrs.command.outbox..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ordercqrs.command.customer..",
                    "io.ordercqrs.command.order..", "io.ordercqrs.command.snapshot..", "io.ordercqrs.command.web..");

    @ArchTest
    static final ArchRule asynchronousCommandsKnowNoFeature = noClasses()
            .that().resideInAPackage("io.ordercqrs.command.async..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ordercqrs.command.customer..",
                    "io.ordercqrs.command.order..", "io.ordercqrs.command.snapshot..");

    @ArchTest
    static final ArchRule theHttpEdgeKnowsNoFeature = noClasses()
            .that().resideInAPackage("io.ordercqrs.command.web..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ordercqrs.command.customer..",
                    "io.ordercqrs.command.order..", "io.ordercqrs.command.snapshot..", "io.ordercqrs.command.outbox..");
}
