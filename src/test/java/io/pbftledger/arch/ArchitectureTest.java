package io.pbftledger.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The package rules of shared/design/architecture.md. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.pbftledger");
    }

    @Test
    void messagesDependOnTheJdkOnly() {
        classes().that().resideInAPackage("io.pbftledger.pbft.message..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.pbftledger.pbft.message..", "java..")
                .check(classes);
    }

    @Test
    void theCoreDependsOnMessagesAndJavaUtilOnly() {
        classes().that().resideInAPackage("io.pbftledger.pbft.core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        "io.pbftledger.pbft.core..", "io.pbftledger.pbft.message..", "java.util..", "java.lang..", "java.io..")
                .check(classes);
    }

    @Test
    void theCoreUsesNoClockThreadsOrRandomness() {
        noClasses().that().resideInAPackage("io.pbftledger.pbft..")
                .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().dependOnClassesThat().resideInAnyPackage("java.util.concurrent..", "java.time..", "java.nio.file..", "java.net..")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .check(classes);
    }

    @Test
    void chainAndCryptoStayFreeOfSpringAndTheOuterLayers() {
        noClasses().that().resideInAnyPackage("io.pbftledger.chain..", "io.pbftledger.crypto..", "io.pbftledger.node..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "jakarta.persistence..",
                        "io.pbftledger.api..", "io.pbftledger.storage..", "io.pbftledger.transport..",
                        "io.pbftledger.cli..", "io.pbftledger.config..")
                .check(classes);
    }

    @Test
    void cryptoDependsOnNoOtherLedgerPackage() {
        noClasses().that().resideInAPackage("io.pbftledger.crypto..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pbftledger.pbft..", "io.pbftledger.chain..",
                        "io.pbftledger.node..")
                .check(classes);
    }

    @Test
    void springAnnotationsAppearOnlyAtTheEdges() {
        noClasses().that().resideInAnyPackage("io.pbftledger.pbft..", "io.pbftledger.chain..",
                        "io.pbftledger.crypto..", "io.pbftledger.node..")
                .should().beAnnotatedWith(org.springframework.stereotype.Component.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .check(classes);
    }

    @Test
    void jpaEntitiesNeverLeaveStorage() {
        noClasses().that().resideOutsideOfPackage("io.pbftledger.storage..")
                .should().dependOnClassesThat().areAnnotatedWith(jakarta.persistence.Entity.class)
                .check(classes);
    }

    @Test
    void onlyTheViewChangeCodeReplacesTheViewState() {
        String ctx = "io.pbftledger.pbft.core.ReplicaContext";
        noClasses().that().resideInAPackage("io.pbftledger.pbft.core..")
                .and().doNotHaveSimpleName("ViewChanger").and().doNotHaveSimpleName("JournalReplay")
                .and().doNotHaveSimpleName("ReplicaContext")
                .should().callMethod(ctx, "startViewChange", "long")
                .orShould().callMethod(ctx, "enterView", "long")
                .orShould().callMethod(ctx, "restoreViewChange", "long", "long")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.pbftledger.(*)..").should().beFreeOfCycles().check(classes);
    }
}
