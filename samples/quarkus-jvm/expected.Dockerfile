# A Quarkus application in JVM mode on Red Hat's OpenJDK runtime image. Its
# run-java.sh launcher works out the java command at start; distill writes
# that command out (default JVM options and JAVA_OPTS_APPEND) and changes
# to /deployments as the launcher does.
FROM gcr.io/distroless/java21-debian13:latest
WORKDIR /home/jboss
COPY --chown=185 target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 target/quarkus-app/*.jar /deployments/
COPY --chown=185 target/quarkus-app/app/ /deployments/app/
COPY --chown=185 target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8080
USER 185
ENV JAVA_OPTS_APPEND="-Dquarkus.http.host=0.0.0.0"
ENV JAVA_APP_JAR="/deployments/quarkus-run.jar"
WORKDIR /deployments
ENTRYPOINT ["/usr/bin/java", "-XX:MaxRAMPercentage=80.0", "-XX:+UseParallelGC", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:GCTimeRatio=4", "-XX:AdaptiveSizePolicyWeight=90", "-XX:+ExitOnOutOfMemoryError", "-Dquarkus.http.host=0.0.0.0", "-cp", ".", "-jar", "/deployments/quarkus-run.jar"]
