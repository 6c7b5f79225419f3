package io.graphsec.routes;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of the product code, so that a file's package says what it may touch: the
 * application and its binders on top, then the features an alert travels through, then the Graph,
 * token, state, broker and health mechanics they share, then the settings everything reads. The
 * Graph simulator is demo equipment: the plain jar an ESB embeds leaves it out, so only the demo
 * wiring may name it.
 */
@AnalyzeClasses(packages = "io.graphsec.routes", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "io.graphsec.routes";

    @ArchTest
    static final ArchRule packages_are_free_of_cycles = slices().matching("io.graphsec.routes.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule lower_layers_never_reach_up = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Application").definedBy(ROOT)
            .layer("Features").definedBy(ROOT + ".feedback..", ROOT + ".ticketing..", ROOT + ".mail..",
                    ROOT + ".hunting..", ROOT + ".securescore..", ROOT + ".enrich..",
                    ROOT + ".templates..", ROOT + ".recipes..", ROOT + ".replay..")
            .layer("Health").definedBy(ROOT + ".health..")
            .layer("Tenants").definedBy(ROOT + ".auth..")
            .layer("Graph").definedBy(ROOT + ".graph..")
            .layer("Stores").definedBy(ROOT + ".state..", ROOT + ".broker..")
            .layer("Config").definedBy(ROOT + ".config..")
            .whereLayer("Application").mayNotBeAccessedByAnyLayer()
            .whereLayer("Features").mayOnlyBeAccessedByLayers("Application")
            .whereLayer("Health").mayOnlyBeAccessedByLayers("Application", "Features")
            .whereLayer("Tenants").mayOnlyBeAccessedByLayers("Application", "Features", "Health")
            .whereLayer("Graph").mayOnlyBeAccessedByLayers("Application", "Features", "Health", "Tenants")
            .whereLayer("Stores").mayOnlyBeAccessedByLayers("Application", "Features", "Health", "Tenants", "Graph")
            .whereLayer("Config").mayOnlyBeAccessedByLayers("Application", "Features", "Health", "Tenants", "Graph",
                    "Stores");

    @ArchTest
    static final ArchRule only_the_demo_wiring_names_the_simulator = noClasses()
            .that().resideOutsideOfPackage(ROOT + ".simulator..")
            .and().haveNameNotMatching("io\\.graphsec\\.routes\\.DemoBinder(\\$.*)?")
            .should().dependOnClassesThat().resideInAPackage(ROOT + ".simulator..");
}
