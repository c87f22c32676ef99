package io.cob.server.support;

import io.cob.engine.TestModels;

/** BPMN documents the API tests deploy (written with the engine's {@link TestModels}). */
public final class Models {
  private Models() {}

  /** start -> service task of {@code type} -> end. */
  public static String oneJob(String processId, String type) {
    return TestModels.process(
        processId,
        "<startEvent id=\"start\"/>"
            + TestModels.serviceTask("work", type)
            + "<endEvent id=\"end\"/>",
        "start->work",
        "work->end");
  }

  /** start -> user task (assignee, candidate groups) -> end. */
  public static String userTask(String processId, String assignee, String groups) {
    return TestModels.process(
        processId,
        "<startEvent id=\"start\"/>"
            + "<userTask id=\"task\" name=\"Check\"><extensionElements><zeebe:assignmentDefinition"
            + (assignee == null ? "" : " assignee=\"" + assignee + "\"")
            + (groups == null ? "" : " candidateGroups=\"" + groups + "\"")
            + "/></extensionElements></userTask><endEvent id=\"end\"/>",
        "start->task",
        "task->end");
  }

  /** start -> message catch ({@code name}, correlation key = variable {@code key}) -> end. */
  public static String waitsForMessage(String processId, String name) {
    return TestModels.process(
            processId,
            "<startEvent id=\"start\"/>"
                + "<intermediateCatchEvent id=\"wait\"><messageEventDefinition messageRef=\"m-"
                + processId
                + "\"/></intermediateCatchEvent>"
                + "<endEvent id=\"end\"/>",
            "start->wait",
            "wait->end")
        .replace(
            "</definitions>",
            "<message id=\"m-"
                + processId
                + "\" name=\""
                + name
                + "\"><extensionElements><zeebe:subscription correlationKey=\"=key\"/></extensionElements></message>\n</definitions>");
  }
}
