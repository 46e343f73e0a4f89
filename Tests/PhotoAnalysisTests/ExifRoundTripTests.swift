import PhotoAnalysis
import Testing
import VIACore
import VIATesting

/// Write → read gives the same fields, in both byte orders.
@Suite struct ExifRoundTripTests {
    @Test(arguments: [true, false])
    func everyFieldSurvives(littleEndian: Bool) throws {
        var fields = ExifFields()
        fields.littleEndian = littleEndian
        fields.make = "Canon"
        fields.model = "EOS R6"
        fields.bodySerialNumber = "012345678901"
        fields.software = "Firmware 1.8.1"
        fields.orientation = 6
        fields.dateTime = "2026:10:18 10:05:00"
        fields.dateTimeOriginal = "2026:10:18 10:01:02"
        fields.dateTimeDigitized = "2026:10:18 10:01:03"
        fields.subSecTimeOriginal = "045"
        fields.offsetTimeOriginal = "-03:30"
        fields.exposureTime = Rational(1, 250)
        fields.fNumber = Rational(28, 10)
        fields.iso = 400
        fields.gps = GPSFields(latitude: -33.856_784, longitude: -151.215_297, altitude: -12.5,
                               dateStamp: "2026:10:18", timeStamp: (23, 59, 30.5))
        fields.thumbnail = try SyntheticPhoto.thumbnail(seed: 3)

        let photo = TestPhotos.jpeg(exif: fields)
        let facts = PhotoAnalyzer().analyze(bytes: photo, name: "rt.jpg")
        #expect(facts.integrity.problems.isEmpty)
        let exif = try #require(facts.exif)
        #expect(exif.byteOrder == (littleEndian ? "II" : "MM"))
        #expect(exif.make == "Canon")
        #expect(exif.model == "EOS R6")
        #expect(exif.bodySerialNumber == "012345678901")
        #expect(exif.software == "Firmware 1.8.1")
        #expect(exif.orientation == 6)
        #expect(exif.dateTime == "2026:10:18 10:05:00")
        #expect(exif.dateTimeOriginal == "2026:10:18 10:01:02")
        #expect(exif.dateTimeDigitized == "2026:10:18 10:01:03")
        #expect(exif.subSecTimeOriginal == "045")
        #expect(exif.offsetTimeOriginal == "-03:30")
        #expect(exif.exposureTime == 0.004)
        #expect(exif.fNumber == 2.8)
        #expect(exif.iso == 400)
        let gps = try #require(exif.gps)
        #expect(abs(gps.latitude! - -33.856_784) < 1e-7)
        #expect(abs(gps.longitude! - -151.215_297) < 1e-7)
        #expect(gps.altitude == -12.5)
        #expect(gps.dateStamp == "2026:10:18")
        #expect(gps.timeStamp == "23:59:30.5")
        let thumbnail = try #require(exif.thumbnail)
        #expect(thumbnail.length == fields.thumbnail!.count)
    }

    @Test func minimalExifHasNoGPS() throws {
        var fields = ExifFields()
        fields.dateTimeOriginal = "2026:01:02 03:04:05"
        let exif = try #require(PhotoAnalyzer().analyze(bytes: TestPhotos.jpeg(exif: fields), name: "x").exif)
        #expect(exif.dateTimeOriginal == "2026:01:02 03:04:05")
        #expect(exif.gps == nil && exif.make == nil && exif.thumbnail == nil)
        #expect(exif.problems.isEmpty)
    }

    @Test func xmpEditingTracesSurvive() throws {
        let xmp = XMPFields(creatorTool: "Adobe Photoshop 25.0 (Windows)", modifyDate: "2026-10-20T16:45:00+08:00",
                            photoshopHistory: "2026-10-20 cropped", historySoftware: ["Adobe Photoshop 25.0 (Windows)", "GIMP 2.10"])
        let facts = PhotoAnalyzer().analyze(bytes: TestPhotos.jpeg(xmp: xmp), name: "x")
        let read = try #require(facts.xmp)
        #expect(read.creatorTool == "Adobe Photoshop 25.0 (Windows)")
        #expect(read.modifyDate == "2026-10-20T16:45:00+08:00")
        #expect(read.photoshopHistory)
        #expect(read.historySoftware == ["Adobe Photoshop 25.0 (Windows)", "GIMP 2.10"])
        #expect(read.editingTraces.count == 2)
    }

    @Test func cameraWithoutXMPHasNone() {
        #expect(PhotoAnalyzer().analyze(bytes: TestPhotos.jpeg(), name: "x").xmp == nil)
    }

    @Test func xmpScannerReadsElementsAndEntities() {
        let packet = """
            <rdf:Description><xmp:CreatorTool>Tom &amp; Jerry&apos;s Editor</xmp:CreatorTool>
            <xmpMM:History><rdf:Seq><rdf:li><stEvt:softwareAgent>Lightroom</stEvt:softwareAgent></rdf:li></rdf:Seq></xmpMM:History>
            </rdf:Description>
            """
        let facts = XMPScanner.scan([packet])
        #expect(facts?.creatorTool == "Tom & Jerry's Editor")
        #expect(facts?.historySoftware == ["Lightroom"])
    }
}
