/** Support shared by the modules' tests (JDK only, so any module can use it). */
module dev.arbor.testkit {
    requires java.net.http;

    exports dev.arbor.testkit;
}
