package io.pbftledger.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.pbftledger.testing.BrowserTest;
import io.pbftledger.testing.DeploymentTest;
import io.pbftledger.testing.PostgresTest;
import io.pbftledger.testing.ProcessTest;
import java.lang.annotation.Annotation;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The package rules of shared/design/architecture.md, and the test tiers' tags (README: Run every test). */
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

    /**
     * What the fast tier ({@code ./mvnw test}) must not start, and the tier annotation (with its JUnit tag) that moves a test
     * using it to the failsafe tier of {@code ./mvnw verify}: surefire excludes these tags and failsafe runs only them.
     */
    private record Tier(Class<? extends Annotation> annotation, String tag, DescribedPredicate<JavaClass> uses) {
    }

    private static final List<Tier> TIERS = List.of(
            new Tier(ProcessTest.class, "process", nameIs("io.pbftledger.cluster.LocalCluster")),
            new Tier(BrowserTest.class, "browser", nameIs("io.pbftledger.browser.HeadlessChrome")),
            new Tier(PostgresTest.class, "postgres", JavaClass.Predicates.resideInAPackage("io.zonky.test.db.postgres..")),
            new Tier(DeploymentTest.class, "deployment", JavaClass.Predicates.resideInAPackage("com.marcnuri.helm..")
                    .or(nameIs("io.pbftledger.deploy.ChartFixture"))));

    @Test
    void testsThatStartProcessesBrowsersPostgresOrHelmCarryTheirTiersTag() {
        // the rule reads only the test classes' own dependencies and annotations: also importing the library classes
        // they use (ArchUnit's default) makes the import take several times as long
        ArchConfiguration config = ArchConfiguration.get();
        boolean resolve = config.resolveMissingDependenciesFromClassPath();
        JavaClasses tests;
        try {
            config.setResolveMissingDependenciesFromClassPath(false);
            tests = new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                    .withImportOption(location -> !location.contains("/jmh_generated/"))
                    .importPackages("io.pbftledger");
        } finally {
            config.setResolveMissingDependenciesFromClassPath(resolve);
        }
        classes().should(carryTheTierTagsOfWhatTheyUse()).check(tests);
    }

    private static DescribedPredicate<JavaClass> nameIs(String name) {
        return DescribedPredicate.describe(name, type -> type.getName().equals(name));
    }

    /**
     * A test class (simple name ending in "Test"; its nested and anonymous classes count as part of it) that depends on a
     * tier's fixture carries that tier's JUnit tag, directly or through a composed annotation such as {@link ProcessTest},
     * on itself or a superclass ({@link Tag} is inherited), the way JUnit finds tags.
     */
    private static ArchCondition<JavaClass> carryTheTierTagsOfWhatTheyUse() {
        return new ArchCondition<>("carry the tier annotation of each real process, browser, PostgreSQL or Helm fixture they use") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                JavaClass test = item;
                while (test.getEnclosingClass().isPresent()) {
                    test = test.getEnclosingClass().get();
                }
                if (!test.getSimpleName().endsWith("Test")) {
                    return;
                }
                Set<String> tags = tagsOf(test, new HashSet<>());
                Map<Tier, Dependency> missing = new LinkedHashMap<>();
                for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    for (Tier tier : TIERS) {
                        if (tier.uses().test(target) && !tags.contains(tier.tag())) {
                            missing.putIfAbsent(tier, dependency);
                        }
                    }
                }
                JavaClass owner = test;
                missing.forEach((tier, dependency) -> events.add(SimpleConditionEvent.violated(item, owner.getName()
                        + " lacks @" + tier.annotation().getSimpleName() + " (tag '" + tier.tag()
                        + "'), so ./mvnw test would run it, yet " + dependency.getDescription())));
            }
        };
    }

    /** The JUnit tags of {@code type}: its @Tag/@Tags, those of its (meta-)annotations, and those of its superclasses. */
    private static Set<String> tagsOf(JavaClass type, Set<String> visited) {
        Set<String> tags = new HashSet<>();
        if (!visited.add(type.getName())) {
            return tags;
        }
        for (JavaAnnotation<JavaClass> annotation : type.getAnnotations()) {
            tags.addAll(tagsOf(annotation, visited));
        }
        type.getRawSuperclass().ifPresent(superclass -> tags.addAll(tagsOf(superclass, visited)));
        return tags;
    }

    private static Set<String> tagsOf(JavaAnnotation<?> annotation, Set<String> visited) {
        Set<String> tags = new HashSet<>();
        String type = annotation.getRawType().getName();
        Optional<Object> value = annotation.get("value");
        if (type.equals(Tag.class.getName())) {
            value.ifPresent(v -> tags.add((String) v));
        } else if (type.equals(org.junit.jupiter.api.Tags.class.getName())) {
            value.ifPresent(v -> {
                for (Object tag : (Object[]) v) {
                    tags.addAll(tagsOf((JavaAnnotation<?>) tag, visited));
                }
            });
        } else if (!type.startsWith("java.lang.annotation.")) {
            tags.addAll(tagsOf(annotation.getRawType(), visited));
        }
        return tags;
    }
}
