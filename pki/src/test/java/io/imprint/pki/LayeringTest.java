package io.imprint.pki;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * pki and contracts are plain Java, unit-tested fast and usable by any adapter: no Quarkus, Kafka, Hibernate,
 * SmallRye or Vert.x type appears in them (the Enforcer rule keeps those jars off the classpath as well).
 */
class LayeringTest {
    @Test
    void pkiAndContractsImportNoFrameworkOrBroker() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.imprint.pki", "io.imprint.contracts");
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..",
                        "org.apache.kafka..",
                        "org.hibernate..",
                        "io.smallrye..",
                        "io.vertx..",
                        "jakarta.persistence..",
                        "jakarta.enterprise..")
                .because("services are thin adapters around pki; pki knows none of them")
                .check(classes);
    }
}
