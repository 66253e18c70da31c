package dev.parley.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.http.annotation.Controller;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure as DESIGN.md draws it: feature packages depend one way (the caller owns
 * the interface it calls), and a request goes controller → service → repository, never further.
 */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.parley");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.parley.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void controllersNeverReachARepository() {
        noClasses().that().areAnnotatedWith(Controller.class)
                .should().dependOnClassesThat().areAssignableTo(GenericRepository.class)
                .orShould().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
                .check(production);
    }

    @Test
    void onlyThePipelineTouchesTheJobTable() {
        noClasses().that().resideOutsideOfPackage("dev.parley.pipeline..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.parley.pipeline.JobStore")
                .check(production);
    }
}
