package io.cob.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.cob.server.CobNode;
import io.cob.server.config.CloudConfig;
import io.cob.server.config.NodeConfig;
import io.cob.server.support.Api;
import io.cob.server.support.CloudNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium through its chromedriver; Selenium
 * downloads nothing): a person deploys a BPMN file by upload, starts an instance with variables,
 * sees the user task highlighted on the diagram, completes it from the task list, sees the incident
 * of the failing payment service, presses Retry once the service is fixed, and sees the instance
 * completed with each element coloured by the cloud that ran it. Each page is saved as a PNG in
 * {@code target/console-screenshots/}.
 *
 * <p>The steps build on each other, in order. Without Chromium the test is skipped, except under
 * {@code CI=true}, where it fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "console-screenshots");
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final ObjectMapper JSON = new ObjectMapper();

  /** Steps build on each other: after a failure the rest are skipped; each failure is pictured. */
  @RegisterExtension static final TestWatcher STEPS = new StepWatcher();

  static final class StepWatcher implements TestWatcher, BeforeTestExecutionCallback {
    private static volatile String failed;

    @Override
    public void beforeTestExecution(ExtensionContext context) {
      Assumptions.assumeTrue(failed == null, "an earlier step failed: " + failed);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      failed = context.getDisplayName();
      if (browser != null) {
        screenshot("failed-" + context.getRequiredTestMethod().getName());
      }
    }
  }

  @TempDir static Path dir;
  static CobNode node;
  static final List<CobNode> others = new CopyOnWriteArrayList<>();
  static HttpServer payments;
  static final AtomicBoolean paymentsFixed = new AtomicBoolean();
  static final AtomicInteger paymentCalls = new AtomicInteger();
  static final List<JsonNode> paymentBodies = new CopyOnWriteArrayList<>();
  static WebDriver browser;
  static WebDriverWait wait;
  static String base;
  static String instanceId;

  @BeforeAll
  static void start() throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(
          present,
          "skipped: no "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + " (apt-get install -y chromium chromium-driver)");
    }
    assertThat(present)
        .as("CI=true needs Chromium: apt-get install -y chromium chromium-driver")
        .isTrue();
    payments = paymentService();
    // One node per cloud on one memory bus (heartbeats make every cloud UP for placement), all on
    // one store, as clouds sharing a database: a step placed on public-a is claimed and run by
    // the public-a node, its outcome applied to the same instance.
    String bus = CloudNodes.privateMemoryBus();
    String store = "jdbc:h2:file:" + dir.resolve("cob");
    Map<String, CloudConfig> clouds = new LinkedHashMap<>(CloudNodes.clouds());
    clouds.put("public-b", cloud("aws", "eu-central", "0.002"));
    node = CobNode.start(nodeOf(bus, store, "private", clouds));
    others.add(CobNode.start(nodeOf(bus, store, "public-a", clouds)));
    others.add(CobNode.start(nodeOf(bus, store, "public-b", clouds)));
    Api api = new Api(node.baseUri());
    for (String cloud : List.of("public-a", "public-b")) {
      CloudNodes.await(cloud + " UP", () -> "UP".equals(CloudNodes.health(api, cloud)));
    }
    base = node.baseUri().toString();
    browser = chromium();
    wait = new WebDriverWait(browser, PATIENCE, Duration.ofMillis(100));
    Files.createDirectories(SHOTS);
    try (var old = Files.newDirectoryStream(SHOTS, "*.png")) {
      for (Path p : old) {
        Files.delete(p); // pictures of an earlier run would pass for this one's
      }
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    others.forEach(CobNode::close);
    if (node != null) {
      node.close();
    }
    if (payments != null) {
      payments.stop(0);
    }
  }

  @Test
  @Order(1)
  void shouldListEveryProblemOfAnInvalidUpload() throws IOException {
    open("/deploy");
    Path broken = dir.resolve("broken.bpmn");
    Files.writeString(
        broken,
        "<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\" id=\"d\""
            + " targetNamespace=\"urn:t\"><process id=\"broken\" isExecutable=\"true\">"
            + "<startEvent id=\"s\"/><sequenceFlow id=\"f\" sourceRef=\"s\" targetRef=\"nowhere\"/>"
            + "</process></definitions>");

    upload(broken);

    WebElement problem = wait.until(visible("#deploy-result .problem"));
    assertThat(problem.getText()).contains("400").contains("broken.bpmn").contains("nowhere");
    assertThat(browser.findElements(By.cssSelector("#deploy-result .problem-errors li")))
        .isNotEmpty();
    screenshot("01-deploy-validation-problems");
  }

  @Test
  @Order(2)
  void shouldDeployByUploadAndStartAnInstanceWithVariables() throws IOException {
    Path bpmn = dir.resolve("console-demo.bpmn");
    try (InputStream in = getClass().getResourceAsStream("/console/console-demo.bpmn")) {
      Files.write(bpmn, in.readAllBytes());
    }

    upload(bpmn);
    wait.until(visible("[data-deployed='console-demo']"));
    new Select(browser.findElement(By.id("start-process"))).selectByValue("console-demo");
    WebElement vars = browser.findElement(By.id("start-variables"));
    vars.clear();
    vars.sendKeys(
        "{\"paymentUrl\": \"http://127.0.0.1:"
            + payments.getAddress().getPort()
            + "/charge\", \"amount\": 42}");
    browser.findElement(By.id("start-key")).sendKeys("order-4711");
    screenshot("02-deploy-and-start");
    browser.findElement(By.id("start")).click();

    wait.until(d -> d.getCurrentUrl().contains("#/instances/"));
    instanceId = browser.getCurrentUrl().replaceFirst(".*#/instances/", "");
    wait.until(visible("#instance-state[data-state='ACTIVE']"));
    WebElement approve = wait.until(visible(element("approve") + ".cob-active"));
    assertThat(approve.getDomAttribute("data-cloud")).isEqualTo("private");
    assertThat(browser.findElement(By.cssSelector(element("start"))).getDomAttribute("class"))
        .contains("cob-done");
    screenshot("03-instance-waiting-at-user-task");
  }

  @Test
  @Order(3)
  void shouldShowActiveCountsOnTheProcessDiagram() {
    open("/processes");
    WebElement process = wait.until(visible("[data-process='console-demo']"));
    screenshot("04-processes");
    process.click();

    WebElement count = wait.until(visible(".djs-overlay [data-count='active']"));
    assertThat(count.getText()).isEqualTo("1");
    assertThat(browser.findElement(By.cssSelector(element("approve"))).getDomAttribute("class"))
        .contains("cob-active");
    screenshot("05-process-with-counts");
  }

  @Test
  @Order(4)
  void shouldCompleteTheUserTaskFromTheTaskList() {
    open("/tasks");
    WebElement task = wait.until(visible("[data-element='approve']"));
    screenshot("06-task-list");
    task.click();

    WebElement amount = wait.until(visible("[data-var='amount']"));
    assertThat(amount.getDomAttribute("type")).isEqualTo("number");
    assertThat(
            browser.findElement(By.cssSelector("[data-var='paymentUrl']")).getDomAttribute("type"))
        .isEqualTo("text");
    amount.clear();
    amount.sendKeys("40");
    browser.findElement(By.id("new-name")).sendKeys("approved");
    browser.findElement(By.id("new-value")).sendKeys("true");
    screenshot("07-task-form");
    browser.findElement(By.id("complete")).click();

    wait.until(visible("#task-completed"));
  }

  @Test
  @Order(5)
  void shouldShowTheIncidentOfTheFailingService() {
    open("/instances/" + instanceId);

    wait.until(visible("#instance-state[data-state='INCIDENT']"));
    WebElement message = wait.until(visible(".incident-message"));
    assertThat(message.getText()).contains("503");
    assertThat(browser.findElement(By.cssSelector(element("charge"))).getDomAttribute("class"))
        .contains("cob-incident");
    assertThat(paymentBodies).isNotEmpty();
    assertThat(paymentBodies.get(0).get("amount").asInt()).isEqualTo(40);
    assertThat(paymentBodies.get(0).get("approved").asBoolean()).isTrue();
    screenshot("08-instance-incident");
  }

  @Test
  @Order(6)
  void shouldCompleteAfterRetryWithEachElementColouredByItsCloud() {
    paymentsFixed.set(true);
    browser.findElement(By.cssSelector("button.retry")).click();

    wait.until(visible("#instance-state[data-state='COMPLETED']"));
    wait.until(visible(element("end") + ".cob-done"));
    Map<String, String> cloudOf = new LinkedHashMap<>();
    Map<String, String> classOf = new LinkedHashMap<>();
    for (String id : List.of("start", "approve", "charge", "record", "end")) {
      WebElement e = browser.findElement(By.cssSelector(element(id)));
      cloudOf.put(id, e.getDomAttribute("data-cloud"));
      classOf.put(id, cloudClassIn(e.getDomAttribute("class")));
    }
    assertThat(cloudOf)
        .containsEntry("start", "private")
        .containsEntry("approve", "private")
        .containsEntry("charge", "public-a")
        .containsEntry("record", "public-b")
        .containsEntry("end", "private");
    assertThat(List.of(classOf.get("approve"), classOf.get("charge"), classOf.get("record")))
        .doesNotHaveDuplicates()
        .allSatisfy(c -> assertThat(c).startsWith("cob-cloud-"));
    assertThat(fill(element("charge"))).isNotEqualTo(fill(element("approve")));
    assertThat(browser.findElements(By.cssSelector(".djs-connection.cob-taken"))).hasSize(4);
    assertThat(browser.findElements(By.cssSelector(".legend [data-cloud]")))
        .extracting(e -> e.getDomAttribute("data-cloud"))
        .contains("private", "public-a", "public-b");
    assertThat(browser.findElement(By.cssSelector(".json")).getText()).contains("R-40");
    screenshot("09-instance-completed-coloured-by-cloud");
    WebElement history = browser.findElement(By.id("h-history"));
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()", history);
    assertThat(
            browser.findElements(By.cssSelector(".timeline li .tl-cloud [data-cloud='public-a']")))
        .isNotEmpty();
    screenshot("10-instance-history-timeline");
  }

  @Test
  @Order(7)
  void shouldListTheInstanceAndShowTheClouds() {
    open("/instances?businessKey=order-4711");
    WebElement row = wait.until(visible("[data-instance='" + instanceId + "']"));
    assertThat(row.findElement(By.xpath("ancestor::tr")).getText()).contains("COMPLETED");
    screenshot("11-instances");

    open("/clouds");
    wait.until(visible("svg.clouds-map .cloud-spot[data-cloud='public-b']"));
    // The page is redrawn at every poll: each look reads the elements at one moment, by script.
    assertThat(attributes("svg.clouds-map .cloud-spot", "data-cloud"))
        .as("one node of the picture per cloud")
        .containsExactlyInAnyOrder("private", "public-a", "public-b");
    assertThat(attributes("svg.clouds-map .cloud-spot", "class"))
        .as("each ringed in its cloud's colour, filled by its health")
        .allSatisfy(
            c -> assertThat(c).containsPattern("\\bcob-cloud-\\d+\\b").contains("health-up"));
    assertThat(fillOf(".cloud-spot[data-cloud='public-a'] circle"))
        .as("UP is green")
        .isEqualTo("rgb(220, 242, 225)");
    assertThat(browser.findElement(By.cssSelector("table.grid")).getText())
        .contains("node-public-a")
        .contains("UP");
    // The charge step went to public-a and its outcome came back: an arrow each way, labelled with
    // what GET /clouds says (the picture is redrawn at every poll, so it catches up).
    Api api = new Api(node.baseUri());
    for (String[] pair :
        List.of(new String[] {"private", "public-a"}, new String[] {"public-a", "private"})) {
      String edge = ".traffic[data-from='" + pair[0] + "'][data-to='" + pair[1] + "']";
      wait.until(
          d -> {
            long messages = messages(api, pair[0], pair[1]);
            return messages > 0
                && List.of(String.valueOf(messages)).equals(attributes(edge, "data-messages"))
                && texts(edge + " .traffic-label").getFirst().startsWith(messages + " msg · ");
          });
    }
    assertThat(messages(api, "public-a", "public-b")).isZero();
    assertThat(attributes(".traffic[data-from='public-a'][data-to='public-b']", "data-from"))
        .as("nothing went from public-a to public-b: no arrow")
        .isEmpty();
    wait.until(
        d -> {
          JsonNode counts = CloudNodes.cloud(api, "private").get("instances");
          return counts.isObject()
              && List.of(
                      counts.get("owned").asLong()
                          + " owned · "
                          + counts.get("standby").asLong()
                          + " standby")
                  .equals(texts(".cloud-spot[data-cloud='private'] .cloud-instances"));
        });
    assertThat(texts(".traffic-table").getFirst()).contains("every cloud (heartbeats)");
    screenshot("12-clouds");
  }

  /** The messages GET /clouds says cloud {@code from} sent to cloud {@code to} (0 if none). */
  private static long messages(Api api, String from, String to) {
    for (JsonNode t : CloudNodes.cloud(api, from).get("traffic")) {
      if (t.get("to").asText().equals(to)) {
        return t.get("messages").asLong();
      }
    }
    return 0;
  }

  /** An attribute of every element {@code css} selects, all read at one moment. */
  @SuppressWarnings("unchecked")
  private static List<String> attributes(String css, String attribute) {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll(arguments[0])]"
                    + ".map(e => e.getAttribute(arguments[1]))",
                css,
                attribute);
  }

  /** The text of every element {@code css} selects, all read at one moment. */
  @SuppressWarnings("unchecked")
  private static List<String> texts(String css) {
    return (List<String>)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", css);
  }

  /** The computed fill of the first element {@code css} selects. */
  private static String fillOf(String css) {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return getComputedStyle(document.querySelector(arguments[0])).fill", css);
  }

  @Test
  @Order(8)
  void shouldRunWithoutScriptErrorsOrContentSecurityPolicyViolations() {
    List<String> severe =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();

    // The invalid upload's 400 is logged by Chromium: proof that the log is read at all.
    assertThat(severe).anyMatch(m -> m.contains("status of 400"));
    assertThat(severe).allMatch(m -> m.contains("Failed to load resource"), "only error answers");
  }

  // --- helpers

  /** The SVG group of a diagram element. */
  private static String element(String id) {
    return ".djs-element[data-element-id='" + id + "']";
  }

  private static String cloudClassIn(String classes) {
    for (String c : classes.split("\\s+")) {
      if (c.startsWith("cob-cloud-")) {
        return c;
      }
    }
    return null;
  }

  /** The computed fill of the element's shape. */
  private static String fill(String selector) {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return getComputedStyle(document.querySelector(arguments[0] + ' .djs-visual >"
                    + " :first-child')).fill",
                selector);
  }

  private static void open(String route) {
    browser.get(base + "/#" + route);
  }

  private static void upload(Path file) {
    open("/deploy");
    WebElement input = wait.until(visible("#bpmn-files"));
    input.clear(); // the input takes several files: drop the one chosen before
    input.sendKeys(file.toAbsolutePath().toString());
    browser.findElement(By.id("deploy")).click();
  }

  private static org.openqa.selenium.support.ui.ExpectedCondition<WebElement> visible(String css) {
    return ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css));
  }

  private static void screenshot(String name) {
    Path file = SHOTS.resolve(name + ".png").toAbsolutePath();
    try {
      Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.out.println("console screenshot: " + file);
  }

  private static WebDriver chromium() {
    // With both the driver and the browser named, Selenium never asks Selenium Manager (which
    // would download them); Debian's are used.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1100",
        "--force-device-scale-factor=1");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  private static NodeConfig nodeOf(
      String bus, String store, String cloud, Map<String, CloudConfig> clouds) {
    return CloudNodes.config(bus, cloud, "node-" + cloud).withStoreUrl(store).withClouds(clouds);
  }

  private static CloudConfig cloud(String provider, String region, String costPerStep) {
    return new CloudConfig(
        provider, region, List.of(), new BigDecimal(costPerStep), null, new BigDecimal("99.9"));
  }

  /** A payment service that answers 503 until the test fixes it, then a receipt. */
  private static HttpServer paymentService() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/charge",
        exchange -> {
          paymentCalls.incrementAndGet();
          JsonNode body = JSON.readTree(exchange.getRequestBody());
          paymentBodies.add(body);
          boolean fixed = paymentsFixed.get();
          byte[] answer =
              (fixed
                      ? "{\"receipt\": \"R-" + body.path("amount").asInt() + "\"}"
                      : "{\"error\": \"card processor unavailable\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(fixed ? 200 : 503, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    s.start();
    return s;
  }
}
