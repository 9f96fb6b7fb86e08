<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Hindi for the Qt dialogs and menus the app shows; Qt ships no qtbase_hi.qm.
     Compile with: pyside6-lrelease qtbase_hi.ts -qm qtbase_hi.qm -->
<TS version="2.1" language="hi">
<context>
    <name>QPlatformTheme</name>
    <message><source>OK</source><translation>ठीक है</translation></message>
    <message><source>Save</source><translation>सहेजें</translation></message>
    <message><source>Save All</source><translation>सभी सहेजें</translation></message>
    <message><source>Open</source><translation>खोलें</translation></message>
    <message><source>&amp;Yes</source><translation>हाँ (&amp;Y)</translation></message>
    <message><source>Yes to &amp;All</source><translation>सभी के लिए हाँ (&amp;A)</translation></message>
    <message><source>&amp;No</source><translation>नहीं (&amp;N)</translation></message>
    <message><source>N&amp;o to All</source><translation>सभी के लिए नहीं (&amp;O)</translation></message>
    <message><source>Abort</source><translation>रोकें</translation></message>
    <message><source>Retry</source><translation>फिर से कोशिश करें</translation></message>
    <message><source>Ignore</source><translation>अनदेखा करें</translation></message>
    <message><source>Close</source><translation>बंद करें</translation></message>
    <message><source>Cancel</source><translation>रद्द करें</translation></message>
    <message><source>Discard</source><translation>छोड़ दें</translation></message>
    <message><source>Help</source><translation>सहायता</translation></message>
    <message><source>Apply</source><translation>लागू करें</translation></message>
    <message><source>Reset</source><translation>रीसेट करें</translation></message>
    <message><source>Restore Defaults</source><translation>डिफ़ॉल्ट वापस लाएँ</translation></message>
</context>
<context>
    <name>QMessageBox</name>
    <message><source>Show Details...</source><translation>विवरण दिखाएँ...</translation></message>
    <message><source>Hide Details...</source><translation>विवरण छिपाएँ...</translation></message>
</context>
<context>
    <name>QLineEdit</name>
    <message><source>&amp;Undo</source><translation>पूर्ववत करें (&amp;U)</translation></message>
    <message><source>&amp;Redo</source><translation>फिर से करें (&amp;R)</translation></message>
    <message><source>Cu&amp;t</source><translation>काटें (&amp;T)</translation></message>
    <message><source>&amp;Copy</source><translation>कॉपी करें (&amp;C)</translation></message>
    <message><source>&amp;Paste</source><translation>चिपकाएँ (&amp;P)</translation></message>
    <message><source>Delete</source><translation>हटाएँ</translation></message>
    <message><source>Select All</source><translation>सब चुनें</translation></message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message><source>&amp;Undo</source><translation>पूर्ववत करें (&amp;U)</translation></message>
    <message><source>&amp;Redo</source><translation>फिर से करें (&amp;R)</translation></message>
    <message><source>Cu&amp;t</source><translation>काटें (&amp;T)</translation></message>
    <message><source>&amp;Copy</source><translation>कॉपी करें (&amp;C)</translation></message>
    <message><source>Copy &amp;Link Location</source><translation>लिंक का पता कॉपी करें (&amp;L)</translation></message>
    <message><source>&amp;Paste</source><translation>चिपकाएँ (&amp;P)</translation></message>
    <message><source>Delete</source><translation>हटाएँ</translation></message>
    <message><source>Select All</source><translation>सब चुनें</translation></message>
</context>
<context>
    <name>QFileDialog</name>
    <message><source>Look in:</source><translation>यहाँ देखें:</translation></message>
    <message><source>File &amp;name:</source><translation>फ़ाइल का नाम (&amp;N):</translation></message>
    <message><source>Files of type:</source><translation>फ़ाइल का प्रकार:</translation></message>
    <message><source>Back</source><translation>पीछे</translation></message>
    <message><source>Forward</source><translation>आगे</translation></message>
    <message><source>Parent Directory</source><translation>ऊपर का फ़ोल्डर</translation></message>
    <message><source>Create New Folder</source><translation>नया फ़ोल्डर बनाएँ</translation></message>
    <message><source>List View</source><translation>सूची दृश्य</translation></message>
    <message><source>Detail View</source><translation>विवरण दृश्य</translation></message>
    <message><source>New Folder</source><translation>नया फ़ोल्डर</translation></message>
    <message><source>&amp;Open</source><translation>खोलें (&amp;O)</translation></message>
    <message><source>&amp;Save</source><translation>सहेजें (&amp;S)</translation></message>
    <message><source>&amp;Choose</source><translation>चुनें (&amp;C)</translation></message>
    <message><source>Save As</source><translation>इस नाम से सहेजें</translation></message>
    <message><source>All Files (*)</source><translation>सभी फ़ाइलें (*)</translation></message>
    <message><source>%1 already exists.
Do you want to replace it?</source><translation>%1 पहले से मौजूद है।
क्या आप इसे बदलना चाहते हैं?</translation></message>
</context>
<context>
    <name>QFileSystemModel</name>
    <message><source>Name</source><translation>नाम</translation></message>
    <message><source>Size</source><translation>आकार</translation></message>
    <message><source>Type</source><translation>प्रकार</translation></message>
    <message><source>Date Modified</source><translation>बदलने की तारीख</translation></message>
</context>
</TS>
