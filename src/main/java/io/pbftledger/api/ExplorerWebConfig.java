package io.pbftledger.api;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The block explorer: static files under /explorer/, and /explorer itself leading there. */
@Configuration(proxyBeanMethods = false)
public class ExplorerWebConfig implements WebMvcConfigurer {
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/explorer", "/explorer/index.html");
        registry.addRedirectViewController("/explorer/", "/explorer/index.html");
    }
}
