package io.graphsec.routes.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class TypeIndexedRegistryTest {

    @Test
    void finds_by_type_what_was_bound_before_and_after_it_was_installed_and_nothing_unbound() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getRegistry().bind("before", new StringBuilder("a"));
            TypeIndexedRegistry.install(context);
            assertThat(context.getRegistry().findByTypeWithName(CharSequence.class)).containsOnlyKeys("before");

            context.getRegistry().bind("after", new StringBuilder("b"));
            context.getRegistry().bind("other", 42);
            assertThat(context.getRegistry().findByTypeWithName(CharSequence.class)).containsOnlyKeys("before", "after");
            assertThat(context.getRegistry().findByType(Integer.class)).containsExactly(42);

            context.getRegistry().unbind("before");
            assertThat(context.getRegistry().findByTypeWithName(CharSequence.class)).containsOnlyKeys("after");
            assertThat(context.getRegistry().lookupByName("after")).hasToString("b");
        }
    }

    @Test
    void a_prototype_bean_is_made_anew_for_each_lookup_by_type() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            TypeIndexedRegistry.install(context);
            AtomicInteger made = new AtomicInteger();
            context.getRegistry().bindAsPrototype("counter", Integer.class, made::incrementAndGet);
            assertThat(context.getRegistry().findByType(Integer.class)).containsExactly(1);
            assertThat(context.getRegistry().findByType(Integer.class)).containsExactly(2);
        }
    }
}
