package io.imprint.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * How a service's packages may depend on each other, checked by each service's LayeringTest: {@code service}
 * holds the decisions and knows no Kafka (records, headers and dead letters stay in {@code messaging}), and
 * {@code rest} reaches the database only through {@code service}.
 */
public final class Layering {
    private Layering() {}

    /**
     * Checks a service's package layering.
     *
     * @param rootPackage the service's own classes, e.g. {@code io.imprint.signer}
     */
    public static void checkService(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        noClasses()
                .that()
                .resideInAPackage(rootPackage + ".service..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", "io.smallrye.reactive.messaging..")
                .because("Kafka records, headers and dead letters belong in the messaging package")
                .check(classes);
        noClasses()
                .that()
                .resideInAPackage(rootPackage + ".rest..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(rootPackage + ".persistence..")
                .because("resources reach the database through the service package, in its transactions")
                .allowEmptyShould(true) // the signer has no REST resources
                .check(classes);
    }
}
