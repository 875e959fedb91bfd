package io.wsbench.servers;

import static io.wsbench.testing.JdkWebSocket.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.wsbench.testing.JdkWebSocket;
import io.wsbench.server.EchoServer;
import io.wsbench.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broadcast room every WebSocket server serves at {@link ServerConfig#BROADCAST_PATH} ({@link
 * EchoServer#broadcasts()}), checked with the JDK's client: each message goes, unchanged, to every connection of the
 * room, the sender included, each sender's messages in the order it sent them; a closed connection leaves the room;
 * the echo endpoint stays an echo. Behaviour only; every wait bounded.
 */
class BroadcastContractTest {
    private static final int MEMBERS = 3;
    private static final int MESSAGES_PER_MEMBER = 4;

    private static ThreadPoolExecutor clientExecutor;
    private static HttpClient client;

    @BeforeAll
    static void startClient() {
        clientExecutor = JdkWebSocket.clientExecutor("broadcast-client");
        client = HttpClient.newBuilder().executor(clientExecutor).connectTimeout(WAIT).build();
    }

    @AfterAll
    static void stopClient() throws InterruptedException {
        clientExecutor.shutdownNow();
        assertThat(clientExecutor.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS)).as("client threads ended").isTrue();
    }

    static Stream<Named<String>> servers() {
        return EchoServers.webSocketNames().stream().map(name -> Named.of(name, name));
    }

    static URI room(URI echo) {
        return echo.resolve(ServerConfig.BROADCAST_PATH);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void relaysEveryMessageToEveryMemberSenderIncludedInEachSendersOrder(String name) throws Exception {
        WebSocketEchoContractTest.assumeRunsHere(name);
        List<JdkWebSocket> members = new ArrayList<>();
        try (EchoServer server = EchoServers.create(name, ServerConfig.defaults())) {
            assertThat(server.broadcasts()).as("%s serves a broadcast room", name).isTrue();
            URI room = room(server.start());
            // Members join one by one; a member's own message coming back shows the server counts it in. Each later
            // join reaches every earlier member: member i sees joins i..MEMBERS-1. A relay still running when a member
            // joins may reach it too (a room's set is read while it changes): an earlier member's join, before its own.
            for (int i = 0; i < MEMBERS; i++) {
                JdkWebSocket member = JdkWebSocket.open(client, room);
                members.add(member);
                member.await(member.socket.sendText("join-" + i, true));
                for (int earlier = 0; earlier <= i; earlier++) {
                    awaitJoin(members.get(earlier), earlier, i);
                }
            }
            for (int i = 0; i < MEMBERS; i++) {
                JdkWebSocket sender = members.get(i);
                for (int k = 0; k < MESSAGES_PER_MEMBER; k++) {
                    if (k % 2 == 0) {
                        sender.await(sender.socket.sendText(text(i, k), true));
                    } else {
                        sender.await(sender.socket.sendBinary(ByteBuffer.wrap(text(i, k).getBytes(UTF_8)), true));
                    }
                }
            }
            for (int receiver = 0; receiver < MEMBERS; receiver++) {
                int[] nextFrom = new int[MEMBERS];
                for (int n = 0; n < MEMBERS * MESSAGES_PER_MEMBER; n++) {
                    Object message = members.get(receiver).nextMessage();
                    String content = message instanceof byte[] bytes ? new String(bytes, UTF_8) : (String) message;
                    if (isStraggler(content, receiver)) {
                        n--;
                        continue;
                    }
                    int sender = Integer.parseInt(content.substring(2, content.indexOf('-', 2)));
                    int k = nextFrom[sender]++;
                    assertThat(content).as("member %d's message %d from %d", receiver, k, sender).isEqualTo(text(sender, k));
                    assertThat(message).as("type kept").isInstanceOf(k % 2 == 0 ? String.class : byte[].class);
                }
            }
            // A member that leaves does not hold the room up: the others go on receiving.
            members.remove(MEMBERS - 1).leave();
            members.get(0).await(members.get(0).socket.sendText("after-leave", true));
            for (JdkWebSocket member : members) {
                assertThat(member.nextText()).isEqualTo("after-leave");
            }
            assertThat(members.get(0).recorder.messages).as("no duplicate").isEmpty();
        } finally {
            // The close handshake is the echo contract's test; here the room's members only leave. Once in three
            // clean-clone runs Jetty's room (JDK 25) did not answer a member's close within 10 s after the checks had
            // passed: not waiting for that answer keeps this test about relaying (the stall is noted in the issue).
            for (JdkWebSocket member : members) {
                member.leave();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void echoEndpointStaysAnEchoBesideTheRoom(String name) throws Exception {
        WebSocketEchoContractTest.assumeRunsHere(name);
        try (EchoServer server = EchoServers.create(name, ServerConfig.defaults())) {
            URI echo = server.start();
            try (JdkWebSocket echoing = JdkWebSocket.open(client, echo);
                 JdkWebSocket member = JdkWebSocket.open(client, room(echo))) {
                member.await(member.socket.sendText("to the room", true));
                assertThat(member.nextText()).isEqualTo("to the room");
                // Had the room's message reached the echo connection, it would come before this echo.
                assertThat(echoing.echoText("to the echo")).isEqualTo("to the echo");
            }
        }
    }

    @Test
    void theFloorsAndThePythonServersHaveNoRoom() {
        for (String name : EchoServers.names()) {
            if (!EchoServers.webSocketNames().contains(name) && EchoServers.unavailableReason(name).isEmpty()) {
                assertThat(EchoServers.create(name, ServerConfig.defaults()).broadcasts()).as(name).isFalse();
            }
        }
    }

    /** Reads {@code member}'s messages up to the join of {@code joiner}, allowing only stragglers before it. */
    private static void awaitJoin(JdkWebSocket member, int index, int joiner) throws InterruptedException {
        for (String text = member.nextText(); !text.equals("join-" + joiner); text = member.nextText()) {
            assertThat(isStraggler(text, index)).as("member %d, waiting for the join of %d, got '%s'", index, joiner, text)
                    .isTrue();
        }
    }

    /** The join of a member that joined before {@code receiver}, relayed as {@code receiver} was joining. */
    private static boolean isStraggler(String content, int receiver) {
        return content.startsWith("join-") && Integer.parseInt(content.substring("join-".length())) < receiver;
    }

    private static String text(int sender, int k) {
        return "m-" + sender + "-" + k + "-payload";
    }
}
