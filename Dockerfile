# Builds one module's runnable jar from this repository and runs it on a JRE.
#   docker build --build-arg MODULE=order-command-service -t ordercqrs/order-command-service .
FROM eclipse-temurin:17-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q install -DskipTests -pl ${MODULE} -am \
    && mkdir /app \
    && if [ -f ${MODULE}/target/${MODULE}.jar ]; then \
         cp ${MODULE}/target/${MODULE}.jar /app/app.jar && cp -r ${MODULE}/target/lib /app/lib; \
       else cp ${MODULE}/target/${MODULE}-*-exec.jar /app/app.jar; fi

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 ordercqrs && mkdir /data && chown ordercqrs /data
USER 10001
COPY --from=build /app /app
# The parallel collector, as ./run starts the services: with the few cores a service usually gets it
# leaves more CPU to requests than G1's concurrent work (see docs/OPERATIONS.md, "JVM").
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseParallelGC", "-jar", "/app/app.jar"]
