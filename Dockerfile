# Builds one module's runnable jar from this repository and runs it on a JRE.
#   docker build --build-arg MODULE=order-command-service -t ordercqrs/order-command-service .
FROM eclipse-temurin:17-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q install -DskipTests -pl ${MODULE} -am \
    && cp ${MODULE}/target/${MODULE}-*-exec.jar /app.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 ordercqrs && mkdir /data && chown ordercqrs /data
USER 10001
COPY --from=build /app.jar /app.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app.jar"]
